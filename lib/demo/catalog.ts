/**
 * The service catalogue: about forty services across five platforms, priced per 1000 around the
 * medians of DOMAIN.md. Names carry the tags panels use ([R30], ♻️, No Refill, Non Drop) — and, as
 * in real panels, a couple of names disagree with the flags.
 */

import { decimalToRateE4 } from './money';

export type Platform = 'Instagram' | 'TikTok' | 'YouTube' | 'Telegram' | 'X';

/** What the service delivers: decides the link shape, the counts on screenshots and the wording. */
export type Metric =
  'followers' | 'likes' | 'views' | 'comments' | 'subscribers' | 'members' | 'shares' | 'saves' | 'reactions' | 'retweets' | 'watch_hours';

export interface CatalogService {
  externalId: string;
  name: string;
  platform: Platform;
  metric: Metric;
  /** Price per 1000 in ten-thousandths of a dollar (20000 = 2.0000). */
  rateE4: number;
  min: number;
  max: number;
  /** null: no refill; 0: lifetime; n: days after completion. */
  refillDays: number | null;
  reviewWindowDays: number | null;
  isCancelAllowed: boolean;
  /** Median order size for this service (log-normal, p90 ten times the median). */
  typicalQty: number;
}

type Row = [
  name: string,
  platform: Platform,
  metric: Metric,
  rate: string,
  min: number,
  max: number,
  refillDays: number | null,
  reviewWindowDays: number | null,
  cancel: boolean,
  typicalQty?: number,
];

// Rates are decimal strings in dollars (at most 4 decimals), turned into integers below.
const ROWS: Row[] = [
  ['Instagram Followers | Real Mixed | Max 50K | [R30] ♻️', 'Instagram', 'followers', '1.95', 50, 50_000, 30, null, true],
  ['Instagram Followers [No Refill] | Cheapest | Instant Start', 'Instagram', 'followers', '0.62', 10, 100_000, null, null, false],
  ['Instagram Followers | HQ Profiles | Non Drop | [R365] ♻️', 'Instagram', 'followers', '5.8', 100, 20_000, 365, null, false],
  ['Instagram Followers | Lifetime Refill ♻️ | 10K/Day', 'Instagram', 'followers', '3.4', 50, 200_000, 0, null, true],
  ['Instagram Followers | Non Drop 🔥 | Fast', 'Instagram', 'followers', '2.6', 100, 30_000, null, null, false],
  ['Instagram Followers | Targeted 🇧🇷 Brazil | [R30] ♻️', 'Instagram', 'followers', '7.9', 100, 10_000, 30, 5, false],
  ['Instagram Followers | [R7] ♻️ | Speed 5K/Day', 'Instagram', 'followers', '1.2', 20, 50_000, 7, null, true],
  ['Instagram Likes | Real | [R30] ♻️ | Instant', 'Instagram', 'likes', '0.28', 10, 50_000, 30, null, true],
  ['Instagram Likes [No Refill] | Bots | Super Fast', 'Instagram', 'likes', '0.08', 10, 100_000, null, null, false],
  ['Instagram Power Likes | Explore Page Boost', 'Instagram', 'likes', '1.2', 50, 20_000, null, 3, false],
  ['Instagram Reel Views | Instant | 1M/Day', 'Instagram', 'views', '0.05', 100, 10_000_000, null, null, true, 5_000],
  ['Instagram Story Views | All Stories', 'Instagram', 'views', '0.3', 100, 50_000, null, null, false],
  ['Instagram Custom Comments | Real Accounts', 'Instagram', 'comments', '12.0', 5, 500, null, 5, false, 20],
  ['Instagram Saves + Reach | No Refill', 'Instagram', 'saves', '0.45', 50, 100_000, 30, null, false],
  ['TikTok Followers | [R30] ♻️ | Real Looking', 'TikTok', 'followers', '2.4', 50, 100_000, 30, null, true],
  ['TikTok Followers [No Refill] | Fast Start', 'TikTok', 'followers', '0.9', 10, 50_000, null, null, false],
  ['TikTok Followers | Non Drop | Lifetime ♻️', 'TikTok', 'followers', '4.8', 100, 50_000, 0, null, false],
  ['TikTok Followers | [R60] ♻️ | 20K/Day', 'TikTok', 'followers', '3.1', 100, 100_000, 60, null, true],
  ['TikTok Likes | [R30] ♻️ | Instant', 'TikTok', 'likes', '0.35', 10, 100_000, 30, null, true],
  ['TikTok Views | 10M/Day | Instant', 'TikTok', 'views', '0.05', 100, 100_000_000, null, null, true, 10_000],
  ['TikTok Shares | Fast', 'TikTok', 'shares', '0.2', 100, 1_000_000, null, null, false],
  ['TikTok Custom Comments', 'TikTok', 'comments', '9.0', 5, 1_000, null, 3, false, 20],
  ['YouTube Views | Non Drop | [R30] ♻️ | 5K/Day', 'YouTube', 'views', '2.5', 500, 1_000_000, 30, 5, false],
  ['YouTube Views | Ads | High Retention', 'YouTube', 'views', '4.2', 1_000, 10_000_000, null, 3, false],
  ['YouTube Views [No Refill] | Fast', 'YouTube', 'views', '0.85', 100, 500_000, null, null, true],
  ['YouTube Shorts Views | Instant', 'YouTube', 'views', '0.6', 100, 1_000_000, null, null, true],
  ['YouTube Subscribers | [R30] ♻️ | 100/Day', 'YouTube', 'subscribers', '19.5', 50, 10_000, 30, null, false, 500],
  ['YouTube Subscribers | Non Drop | Lifetime ♻️', 'YouTube', 'subscribers', '42.0', 100, 5_000, 0, null, false, 500],
  ['YouTube Subscribers | [R90] ♻️ | Cheap', 'YouTube', 'subscribers', '8.5', 50, 20_000, 90, null, false, 500],
  ['YouTube Likes | [R30] ♻️', 'YouTube', 'likes', '1.8', 20, 50_000, 30, null, true],
  ['YouTube Watch Time 4000H | Monetization [R30]', 'YouTube', 'watch_hours', '45.0', 100, 4_000, null, 5, false, 1_000],
  ['Telegram Channel Members | [R30] ♻️ | Real', 'Telegram', 'members', '1.5', 100, 100_000, 30, null, true],
  ['Telegram Members [No Refill] | Cheap', 'Telegram', 'members', '0.42', 10, 50_000, null, null, false],
  ['Telegram Members | Premium | Non Drop [R365]', 'Telegram', 'members', '4.9', 100, 20_000, 365, null, false],
  ['Telegram Members | Lifetime ♻️ | Arab Mix', 'Telegram', 'members', '3.2', 100, 30_000, 0, null, false],
  ['Telegram Post Views | Last 1 Post', 'Telegram', 'views', '0.07', 100, 1_000_000, null, null, true, 3_000],
  ['Telegram Post Reactions 👍❤️🔥 | Random', 'Telegram', 'reactions', '0.18', 10, 100_000, null, null, false],
  ['X (Twitter) Followers | [R30] ♻️ | NFT Profiles', 'X', 'followers', '6.5', 100, 20_000, 30, null, false],
  ['X (Twitter) Followers [No Refill]', 'X', 'followers', '2.9', 50, 50_000, null, null, true],
  ['X (Twitter) Likes | Real | [R30] ♻️', 'X', 'likes', '1.1', 20, 20_000, 30, null, false],
  ['X (Twitter) Retweets | No Refill', 'X', 'retweets', '1.6', 20, 10_000, null, null, false],
  ['X (Twitter) Tweet Views | Instant', 'X', 'views', '0.08', 100, 10_000_000, null, null, true, 5_000],
  ['X (Twitter) Custom Replies | Real', 'X', 'comments', '18.0', 5, 300, null, 5, false, 15],
];

export const CATALOG: readonly CatalogService[] = ROWS.map(
  ([name, platform, metric, rate, min, max, refillDays, reviewWindowDays, cancel, typicalQty], index) => ({
    externalId: String(1001 + index * 7),
    name,
    platform,
    metric,
    rateE4: decimalToRateE4(rate),
    min,
    max,
    refillDays,
    reviewWindowDays,
    isCancelAllowed: cancel,
    typicalQty: typicalQty ?? 1_000,
  }),
);

const METRIC_LABEL: Record<Metric, string> = {
  followers: 'Followers',
  likes: 'Likes',
  views: 'Views',
  comments: 'Comments',
  subscribers: 'Subscribers',
  members: 'Members',
  shares: 'Shares',
  saves: 'Saves',
  reactions: 'Reactions',
  retweets: 'Retweets',
  watch_hours: 'Watch Time',
};

export const metricLabel = (metric: Metric) => METRIC_LABEL[metric];

export const categoryOf = (s: Pick<CatalogService, 'platform' | 'metric'>) =>
  `${s.platform === 'X' ? 'X (Twitter)' : s.platform} ${METRIC_LABEL[s.metric]}`;

/** Whether the service is ordered on a profile (followers, members…) rather than a post. */
export const isProfileMetric = (metric: Metric) =>
  metric === 'followers' || metric === 'subscribers' || metric === 'members' || metric === 'watch_hours';
