/**
 * Panel customers' usernames and emails, the social accounts they order for, and the links they
 * paste (exactly as they paste them).
 */
import type { CatalogService, Platform } from './catalog';
import { ALNUM, type Rng, type Weighted } from './random';

const FIRST = [
  'ahmed',
  'ali',
  'hassan',
  'bilal',
  'usman',
  'kamran',
  'rahul',
  'arjun',
  'vikram',
  'priya',
  'neha',
  'rohit',
  'amit',
  'deepak',
  'joao',
  'lucas',
  'gabriel',
  'mateus',
  'ana',
  'juliana',
  'carlos',
  'diego',
  'maria',
  'jose',
  'mehmet',
  'emre',
  'burak',
  'elif',
  'ayse',
  'yusuf',
  'omar',
  'khalid',
  'fatima',
  'noor',
  'ivan',
  'dmitry',
  'olga',
  'nikita',
  'andrei',
  'budi',
  'agus',
  'dewi',
  'rizky',
  'putri',
  'chinedu',
  'emeka',
  'tunde',
  'kwame',
  'john',
  'mike',
  'chris',
  'alex',
  'sam',
  'jessica',
  'ashley',
  'daniel',
  'kevin',
  'ryan',
  'nguyen',
  'tran',
  'linh',
  'minh',
  'sara',
  'leila',
  'reza',
  'arash',
  'fahad',
  'saad',
  'hamza',
  'zain',
];

const WORDS = [
  'smm',
  'media',
  'boost',
  'growth',
  'social',
  'panel',
  'digital',
  'viral',
  'promo',
  'marketing',
  'likes',
  'fame',
  'official',
  'store',
  'shop',
  'agency',
  'king',
  'pro',
  'official',
  'hub',
  'zone',
  'world',
  'trend',
  'insta',
  'tiktok',
  'tube',
  'star',
  'reseller',
  'services',
  'followers',
  'studio',
  'creative',
  'deals',
  'fast',
];

const SEPARATORS = ['', '_', '.', '', '_'];

const DOMAINS: Weighted<string> = [
  ['gmail.com', 62],
  ['yahoo.com', 6],
  ['hotmail.com', 6],
  ['outlook.com', 6],
  ['icloud.com', 4],
  ['proton.me', 3],
  ['mail.ru', 3],
  ['yandex.ru', 2],
  ['gmx.de', 1],
  ['yahoo.co.in', 2],
  ['rediffmail.com', 1],
  ['hotmail.com.br', 2],
  ['uol.com.br', 1],
  ['protonmail.com', 1],
];

/**
 * A plausible, unique username: a word stem plus a fixed number of digits that encode the
 * customer's index in the run (a bijection mod 10^digits), so no two customers ever share one.
 */
export function username(rng: Rng, index: number, digits: number): string {
  const style = rng.int(0, 5);
  const first = rng.pick(FIRST);
  const word = rng.pick(WORDS);
  const sep = rng.pick(SEPARATORS);
  let stem: string;
  if (style === 0) stem = first;
  else if (style <= 2) stem = `${first}${sep}${word}`;
  else if (style === 3) stem = `${word}${sep}${first}`;
  else if (style === 4) stem = `${capitalize(first)}${sep}${capitalize(word)}`;
  else stem = `the${sep}${word}${sep}${rng.pick(WORDS)}`;
  return `${stem}${uniqueDigits(index, digits)}`;
}

/** `index` → a scrambled, zero-padded number of `digits` digits; distinct for distinct indexes < 10^digits. */
export function uniqueDigits(index: number, digits: number): string {
  const modulus = 10 ** digits;
  // 7_919_311 is odd and not a multiple of 5, so it is invertible mod 10^digits.
  const n = ((((index % modulus) * 7_919_311) % modulus) + 4_242_421) % modulus;
  return String(n).padStart(digits, '0');
}

export function email(rng: Rng, name: string): string {
  return `${name.toLowerCase()}@${rng.weighted(DOMAINS)}`;
}

export const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

const HANDLE_A = [
  'luna',
  'sofia',
  'vibes',
  'daily',
  'the',
  'real',
  'its',
  'official',
  'mr',
  'miss',
  'urban',
  'desi',
  'naija',
  'fit',
  'food',
  'travel',
  'beauty',
  'style',
  'gamer',
  'crypto',
  'music',
  'dj',
  'chef',
  'lifeof',
  'ig',
  'team',
];
const HANDLE_B = [
  'ahmed',
  'kiran',
  'bella',
  'carla',
  'hair',
  'nails',
  'glow',
  'beats',
  'cars',
  'memes',
  'quotes',
  'fitness',
  'kitchen',
  'shop',
  'boutique',
  'studio',
  'photos',
  'clips',
  'motivation',
  'deals',
  'fashion',
  'makeup',
  'vlogs',
  'art',
  'tattoo',
  'barber',
  'bakery',
  'news',
  'films',
];

/** A social account handle, e.g. `glow.by.bella` or `desi_memes_22`. */
export function handle(rng: Rng): string {
  const a = rng.pick(HANDLE_A);
  const b = rng.pick(HANDLE_B);
  const sep = rng.pick(['_', '.', '', '_']);
  const tail = rng.chance(0.45) ? String(rng.int(1, 999)) : rng.chance(0.2) ? `${sep}official` : '';
  return `${a}${sep}${b}${tail}`;
}

const POST_ID = ALNUM + '_-';

/** The link for one order: a profile for followers-type services, a post or video otherwise. */
export function orderLink(rng: Rng, service: Pick<CatalogService, 'platform' | 'metric'>, account: string): string {
  const profile = service.metric === 'followers' || service.metric === 'subscribers' || service.metric === 'members';
  return profile ? profileLink(rng, service.platform, account) : postLink(rng, service.platform, account);
}

/** Builds one shape of link for an account; the tables below weigh the shapes people paste. */
type LinkShape = (rng: Rng, account: string) => string;

const PROFILE_LINKS: Record<Platform, Weighted<LinkShape>> = {
  Instagram: [
    [(_, a) => `https://www.instagram.com/${a}/`, 5],
    [(_, a) => `https://instagram.com/${a}`, 3],
    [(r, a) => `https://www.instagram.com/${a}?igsh=${r.token(16, ALNUM)}`, 2],
    [(_, a) => `instagram.com/${a}`, 1],
    [(_, a) => `@${a}`, 1],
  ],
  TikTok: [
    [(_, a) => `https://www.tiktok.com/@${a}`, 6],
    [(r, a) => `https://www.tiktok.com/@${a}?_t=8${r.token(9, ALNUM)}&_r=1`, 2],
    [(_, a) => `@${a}`, 1],
  ],
  YouTube: [
    [(_, a) => `https://www.youtube.com/@${a}`, 5],
    [(r) => `https://youtube.com/channel/UC${r.token(22, POST_ID)}`, 3],
    [(_, a) => `https://m.youtube.com/@${a}`, 1],
  ],
  Telegram: [
    [(_, a) => `https://t.me/${a}`, 7],
    [(_, a) => `t.me/${a}`, 2],
    [(r) => `https://t.me/+${r.token(16, POST_ID)}`, 1],
  ],
  X: [
    [(_, a) => `https://x.com/${a}`, 5],
    [(_, a) => `https://twitter.com/${a}`, 3],
    [(_, a) => `@${a}`, 1],
  ],
};

const POST_LINKS: Record<Platform, Weighted<LinkShape>> = {
  Instagram: [
    [(r) => `https://www.instagram.com/p/${r.token(11, POST_ID)}/`, 5],
    [(r) => `https://www.instagram.com/reel/${r.token(11, POST_ID)}/?igsh=${r.token(16, ALNUM)}`, 4],
    [(r) => `https://instagram.com/p/${r.token(11, POST_ID)}`, 1],
  ],
  TikTok: [
    [(r, a) => `https://www.tiktok.com/@${a}/video/73${r.digits(17)}`, 6],
    [(r) => `https://vm.tiktok.com/ZM${r.token(7, ALNUM)}/`, 3],
  ],
  YouTube: [
    [(r) => `https://www.youtube.com/watch?v=${r.token(11, POST_ID)}`, 5],
    [(r) => `https://youtu.be/${r.token(11, POST_ID)}?si=${r.token(16, ALNUM)}`, 3],
    [(r) => `https://youtube.com/shorts/${r.token(11, POST_ID)}`, 2],
  ],
  Telegram: [[(r, a) => `https://t.me/${a}/${r.int(2, 4000)}`, 1]],
  X: [
    [(r, a) => `https://x.com/${a}/status/18${r.digits(17)}`, 5],
    [(r, a) => `https://twitter.com/${a}/status/17${r.digits(17)}`, 3],
  ],
};

export function profileLink(rng: Rng, platform: Platform, account: string): string {
  return rng.weighted(PROFILE_LINKS[platform])(rng, account);
}

export function postLink(rng: Rng, platform: Platform, account: string): string {
  return rng.weighted(POST_LINKS[platform])(rng, account);
}
