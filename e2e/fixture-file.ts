/**
 * The records each end-to-end test works on, made by e2e/server.ts (e2e/fixtures.ts) in the fresh
 * database before the server starts, and read here by the specs: every test looks its own rows up
 * by id instead of browsing the shared demo queue for something that fits.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface E2eFixtures {
  decisions: {
    /** Open, the agent's, suggested a balance credit of 7.50 (no approval needed). */
    smallCredit: number;
    /** Open, the agent's, suggested deny (target private) on an order of 120.00. */
    bigDeny: number;
    /** Open, the agent's, suggested deny (target private). */
    denyToReject: number;
  };
  ticketPage: {
    /** An order with a timeline and one stored screenshot; only read by the tests. */
    withEvidence: number;
    /** A complete not_delivered claim still to be verified (the findings test flips and restores it). */
    toVerify: number;
    /** Like withEvidence, for the test that writes a note (agent2's). */
    forNote: number;
    /** No order, payment, evidence, findings or messages. */
    bare: number;
  };
  /** Evidence uploads: a bare ticket to upload to; two customers' tickets sharing a screenshot (the second a reposted copy). */
  evidence: { upload: number; reuse: { first: number; second: number } };
  /** A ticket with audit events of its own (nested before/after, a distinctive reason); only read. */
  audit: { ticket: number };
  /** Usernames of customers of their own, one per credits test. */
  credits: { goodwill: string; badInput: string; reversal: string; secondAdmin: string };
  /** Open and unassigned: a cancel request on an order the panel has not started, suggested a balance credit of 4.20 (no approval needed). */
  money: { cancelRequest: number };
  /** Tickets of the decision box, findings and proposal tests (e2e/desk.spec.ts), each the agent's. */
  desk: {
    /** Suggested a balance credit; the test saves findings that turn it into Deny (untouched box follows). */
    follows: number;
    /** Like follows; the test edits the box first (it offers the switch). */
    offersSwitch: number;
    /** Suggested a balance credit; two people save findings on it (the conflict). */
    conflict: number;
    /** Suggested deny on an order of 12.50 with nothing paid: an override's amount is prefilled with the room. */
    overrideRoom: number;
    /**
     * A plain balance credit the panel has not refunded (the order's events carry no `refunded`):
     * suggested 7.50 on an order of 12.50, nothing paid yet; only read by the tests.
     */
    plainCredit: number;
    /** Suggested deny; the agent's override proposal (balance credit, waiting for approval) on it, for the supervisor to approve. */
    toApprove: number;
  };
  /** Outbox jobs in trouble, for the deliveries page. */
  deliveries: {
    /** Failed for good after 12 attempts (last error "HTTP 503: …"); the panel takes it once retried. */
    failed: number;
    /** Pending, refused by the panel (HTTP 401), next attempt an hour away. */
    refused: number;
  };
  /** An order of its own for the API-key test to post an order event to (`drop_noticed`), by its panel number. */
  apiKeys: { orderNumber: string };
}

export const fixtureFile = (port: string | number) => path.join(tmpdir(), `refund-desk-e2e-fixtures-${port}.json`);

let cached: E2eFixtures | undefined;

/** The fixtures of the server under test (E2E_PORT, as in playwright.config.ts). */
export function fixtures(): E2eFixtures {
  cached ??= JSON.parse(readFileSync(fixtureFile(process.env.E2E_PORT ?? 3100), 'utf8')) as E2eFixtures;
  return cached;
}
