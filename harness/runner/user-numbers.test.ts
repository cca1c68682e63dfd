import { describe, expect, it } from 'vitest';
import { pickUserNumbers } from './user-numbers.ts';

describe('pickUserNumbers', () => {
  it('gives consecutive users', () => {
    expect(pickUserNumbers({ count: 3 }, 4, 1000)).toEqual({ userNumbers: [4, 5, 6], nextUser: 7 });
  });

  it('starts at firstUser', () => {
    expect(pickUserNumbers({ count: 2, firstUser: 10 }, 4, 1000)).toEqual({ userNumbers: [10, 11], nextUser: 12 });
  });

  it('wraps within the valid user count', () => {
    expect(pickUserNumbers({ count: 3 }, 4, 5).userNumbers).toEqual([4, 5, 1]);
  });

  it('repeats one user with sameUser', () => {
    expect(pickUserNumbers({ count: 4, sameUser: true }, 7, 1000)).toEqual({ userNumbers: [7, 7, 7, 7], nextUser: 8 });
    expect(pickUserNumbers({ count: 2, firstUser: 1, sameUser: true }, 7, 1000).userNumbers).toEqual([1, 1]);
  });
});
