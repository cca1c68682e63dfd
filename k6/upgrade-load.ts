// k6 load script for the upgrade path, for load beyond what one Node process drives and for
// distributed runs (k6-operator or any k6 runner). It mints six of the harness's token
// classes and checks each upgrade against the reference policy. Run it where k6 exists:
//   k6 run -e WS_URL=ws://127.0.0.1:8080/ws?channel=lobby -e JWT_SECRET=... k6/upgrade-load.ts
// NOTE: written against @types/k6 and type-checked here; k6 itself is not installed on the
// development machine, so the script has not been run.
import { check } from 'k6';
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import type { Options } from 'k6/options';
import ws from 'k6/ws';

const WS_URL = __ENV.WS_URL ?? 'ws://127.0.0.1:8080/ws?channel=lobby';
const JWT_SECRET = __ENV.JWT_SECRET ?? '';
const JWT_ISSUER = __ENV.JWT_ISSUER ?? 'ws-upgrade-chaos';
const JWT_AUDIENCE = __ENV.JWT_AUDIENCE ?? 'ws-upgrade-chaos-clients';
/** Share of attempts that carry a valid token, from 0 to 1. */
const VALID_SHARE = Number(__ENV.VALID_SHARE ?? '0.8');
/** Valid users are user-0001 to user-<USER_COUNT>, as in the reference schema. */
const USER_COUNT = Number(__ENV.USER_COUNT ?? '1000');

export const options: Options = {
  scenarios: {
    upgrades: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE ?? '50'),
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '30s',
      preAllocatedVUs: 50,
      maxVUs: 500,
    },
  },
  thresholds: {
    checks: ['rate==1.0'],
    ws_connecting: ['p(99)<2000'],
  },
};

type TokenClass = 'valid' | 'missing' | 'bad-signature' | 'expired' | 'alg-none' | 'alg-edited';

const EXPECTED_STATUS: Record<TokenClass, number> = {
  valid: 101,
  missing: 401,
  'bad-signature': 401,
  expired: 401,
  'alg-none': 401,
  'alg-edited': 401,
};

function base64url(text: string): string {
  return encoding.b64encode(text, 'rawurl');
}

function claimsFor(sub: string, expOffsetS: number): string {
  const nowS = Math.floor(Date.now() / 1000);
  return base64url(
    JSON.stringify({
      sub,
      iss: JWT_ISSUER,
      aud: JWT_AUDIENCE,
      jti: `${__VU}-${__ITER}`,
      iat: nowS - 60,
      exp: nowS + expOffsetS,
    }),
  );
}

function signToken(sub: string, expOffsetS: number, secret: string, headerAlg = 'HS256'): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = claimsFor(sub, expOffsetS);
  const signature = crypto.hmac('sha256', secret, `${header}.${payload}`, 'base64rawurl');
  // `headerAlg` other than HS256 keeps the HS256 signature under an edited header.
  const sentHeader = headerAlg === 'HS256' ? header : base64url(JSON.stringify({ alg: headerAlg, typ: 'JWT' }));
  return `${sentHeader}.${payload}.${signature}`;
}

/** Builds an unsigned token (`alg: none`) with valid claims. */
function unsignedToken(sub: string): string {
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${claimsFor(sub, 3600)}.`;
}

function pickClass(): TokenClass {
  if (Math.random() < VALID_SHARE) return 'valid';
  const invalid: TokenClass[] = ['missing', 'bad-signature', 'expired', 'alg-none', 'alg-edited'];
  return invalid[Math.floor(Math.random() * invalid.length)] ?? 'missing';
}

function tokenFor(tokenClass: TokenClass, sub: string): string | null {
  switch (tokenClass) {
    case 'valid':
      return signToken(sub, 3600, JWT_SECRET);
    case 'missing':
      return null;
    case 'bad-signature':
      return signToken(sub, 3600, `${JWT_SECRET}-wrong`);
    case 'expired':
      return signToken(sub, -3600, JWT_SECRET);
    case 'alg-none':
      return unsignedToken(sub);
    case 'alg-edited':
      return signToken(sub, 3600, JWT_SECRET, 'HS512');
  }
}

export default function upgrade(): void {
  const tokenClass = pickClass();
  const userNumber = (((__VU * 7919 + __ITER) % USER_COUNT) + 1).toString().padStart(4, '0');
  const userId = `user-${userNumber}`;
  const token = tokenFor(tokenClass, userId);
  const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
  let welcomeUser: string | null = null;

  const response = ws.connect(WS_URL, { headers }, (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data) as { type?: string; userId?: string };
      if (message.type === 'welcome') welcomeUser = message.userId ?? null;
      socket.close(1000);
    });
    socket.setTimeout(() => socket.close(1000), 5000);
  });

  check(response, {
    [`${tokenClass} gets ${EXPECTED_STATUS[tokenClass]}`]: (r) => r.status === EXPECTED_STATUS[tokenClass],
  });
  if (tokenClass === 'valid') {
    check(welcomeUser, { 'welcome names the token user': (seen) => seen === userId });
  }
}
