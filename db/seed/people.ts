/**
 * Panel customers' usernames and emails, the social accounts they order for, and the links they
 * paste (exactly as they paste them).
 */
import type { CatalogService, Platform } from './catalog';
import { ALNUM, type Rng } from './random';

const FIRST = [
  'ahmed', 'ali', 'hassan', 'bilal', 'usman', 'kamran', 'rahul', 'arjun', 'vikram', 'priya', 'neha', 'rohit',
  'amit', 'deepak', 'joao', 'lucas', 'gabriel', 'mateus', 'ana', 'juliana', 'carlos', 'diego', 'maria', 'jose',
  'mehmet', 'emre', 'burak', 'elif', 'ayse', 'yusuf', 'omar', 'khalid', 'fatima', 'noor', 'ivan', 'dmitry',
  'olga', 'nikita', 'andrei', 'budi', 'agus', 'dewi', 'rizky', 'putri', 'chinedu', 'emeka', 'tunde', 'kwame',
  'john', 'mike', 'chris', 'alex', 'sam', 'jessica', 'ashley', 'daniel', 'kevin', 'ryan', 'nguyen', 'tran',
  'linh', 'minh', 'sara', 'leila', 'reza', 'arash', 'fahad', 'saad', 'hamza', 'zain',
];

const WORDS = [
  'smm', 'media', 'boost', 'growth', 'social', 'panel', 'digital', 'viral', 'promo', 'marketing', 'likes', 'fame',
  'official', 'store', 'shop', 'agency', 'king', 'pro', 'official', 'hub', 'zone', 'world', 'trend', 'insta',
  'tiktok', 'tube', 'star', 'reseller', 'services', 'followers', 'studio', 'creative', 'deals', 'fast',
];

const SEPARATORS = ['', '_', '.', '', '_'];

const DOMAINS: readonly (readonly [string, number])[] = [
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
  const n = (((index % modulus) * 7_919_311) % modulus + 4_242_421) % modulus;
  return String(n).padStart(digits, '0');
}

export function email(rng: Rng, name: string): string {
  return `${name.toLowerCase()}@${rng.weighted(DOMAINS)}`;
}

export const capitalize = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

const HANDLE_A = [
  'luna', 'sofia', 'vibes', 'daily', 'the', 'real', 'its', 'official', 'mr', 'miss', 'urban', 'desi', 'naija',
  'fit', 'food', 'travel', 'beauty', 'style', 'gamer', 'crypto', 'music', 'dj', 'chef', 'lifeof', 'ig', 'team',
];
const HANDLE_B = [
  'ahmed', 'kiran', 'bella', 'carla', 'hair', 'nails', 'glow', 'beats', 'cars', 'memes', 'quotes', 'fitness',
  'kitchen', 'shop', 'boutique', 'studio', 'photos', 'clips', 'motivation', 'deals', 'fashion', 'makeup',
  'vlogs', 'art', 'tattoo', 'barber', 'bakery', 'news', 'films',
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

export function profileLink(rng: Rng, platform: Platform, account: string): string {
  switch (platform) {
    case 'Instagram':
      return rng.weighted([
        [`https://www.instagram.com/${account}/`, 5],
        [`https://instagram.com/${account}`, 3],
        [`https://www.instagram.com/${account}?igsh=${rng.token(16, ALNUM)}`, 2],
        [`instagram.com/${account}`, 1],
        [`@${account}`, 1],
      ]);
    case 'TikTok':
      return rng.weighted([
        [`https://www.tiktok.com/@${account}`, 6],
        [`https://www.tiktok.com/@${account}?_t=8${rng.token(9, ALNUM)}&_r=1`, 2],
        [`@${account}`, 1],
      ]);
    case 'YouTube':
      return rng.weighted([
        [`https://www.youtube.com/@${account}`, 5],
        [`https://youtube.com/channel/UC${rng.token(22, POST_ID)}`, 3],
        [`https://m.youtube.com/@${account}`, 1],
      ]);
    case 'Telegram':
      return rng.weighted([
        [`https://t.me/${account}`, 7],
        [`t.me/${account}`, 2],
        [`https://t.me/+${rng.token(16, POST_ID)}`, 1],
      ]);
    case 'X':
      return rng.weighted([
        [`https://x.com/${account}`, 5],
        [`https://twitter.com/${account}`, 3],
        [`@${account}`, 1],
      ]);
  }
}

export function postLink(rng: Rng, platform: Platform, account: string): string {
  switch (platform) {
    case 'Instagram':
      return rng.weighted([
        [`https://www.instagram.com/p/${rng.token(11, POST_ID)}/`, 5],
        [`https://www.instagram.com/reel/${rng.token(11, POST_ID)}/?igsh=${rng.token(16, ALNUM)}`, 4],
        [`https://instagram.com/p/${rng.token(11, POST_ID)}`, 1],
      ]);
    case 'TikTok':
      return rng.weighted([
        [`https://www.tiktok.com/@${account}/video/73${rng.digits(17)}`, 6],
        [`https://vm.tiktok.com/ZM${rng.token(7, ALNUM)}/`, 3],
      ]);
    case 'YouTube':
      return rng.weighted([
        [`https://www.youtube.com/watch?v=${rng.token(11, POST_ID)}`, 5],
        [`https://youtu.be/${rng.token(11, POST_ID)}?si=${rng.token(16, ALNUM)}`, 3],
        [`https://youtube.com/shorts/${rng.token(11, POST_ID)}`, 2],
      ]);
    case 'Telegram':
      return `https://t.me/${account}/${rng.int(2, 4000)}`;
    case 'X':
      return rng.weighted([
        [`https://x.com/${account}/status/18${rng.digits(17)}`, 5],
        [`https://twitter.com/${account}/status/17${rng.digits(17)}`, 3],
      ]);
  }
}
