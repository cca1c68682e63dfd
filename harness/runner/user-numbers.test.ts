import { describe, expect, it } from 'vitest';
import { pickUserNumbers } from './user-numbers.ts';

describe('pickUserNumbers', () => {
  it('gives consecutive users from the next free one', () => {
    expect(pickUserNumbers({ count: 3 }, 4, 1000)).toEqual({ userNumbers: [4, 5, 6], nextUser: 7 });
  });

  it('starts at firstUser when the step names one', () => {
    expect(pickUserNumbers({ count: 2, firstUser: 10 }, 4, 1000)).toEqual({ userNumbers: [10, 11], nextUser: 12 });
  });

  it('wraps within the valid user count', () => {
    expect(pickUserNumbers({ count: 3 }, 4, 5).userNumbers).toEqual([4, 5, 1]);
  });

  it('gives every attempt the same user with sameUser and moves past only that one', () => {
    expect(pickUserNumbers({ count: 4, sameUser: true }, 7, 1000)).toEqual({ userNumbers: [7, 7, 7, 7], nextUser: 8 });
    expect(pickUserNumbers({ count: 2, firstUser: 1, sameUser: true }, 7, 1000).userNumbers).toEqual([1, 1]);
  });
});
