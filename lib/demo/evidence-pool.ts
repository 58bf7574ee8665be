/**
 * Turns evidence drafts into rows with a stored image. The first `cap` drafts of a run get their
 * own screenshot, rendered and stored; later ones reuse one of the profile screenshots among those
 * (picked from the row id, so the same run always reuses the same way). Order and payment
 * screenshots show their ticket's own order number or transaction, so they are never reused on
 * another ticket. That bounds the work and the disk a huge seed takes.
 */
import { putEvidence } from '@/lib/evidence/storage';
import { mixSeed } from './random';
import type { EvidenceDraft, EvidenceRow } from './rows';
import { renderScreenshot } from './screenshots';

type Stored = Pick<EvidenceRow, 'sha256' | 'storageKey' | 'mimeType' | 'sizeBytes' | 'width' | 'height' | 'perceptualHash'>;

export class EvidencePool {
  private readonly images: Stored[] = [];
  /** The rendered profile screenshots: the only ones another ticket may reuse (they name no order or payment). */
  private readonly reusable: Stored[] = [];

  constructor(
    private readonly cap: number,
    private readonly seed: number,
    private readonly dir?: string,
  ) {}

  /** Distinct images rendered and stored so far. */
  get size(): number {
    return this.images.length;
  }

  async resolve(drafts: readonly EvidenceDraft[]): Promise<EvidenceRow[]> {
    const rows: EvidenceRow[] = [];
    for (const draft of drafts) {
      const { spec, ...rest } = draft;
      let image: Stored;
      if (this.images.length < this.cap || this.reusable.length === 0) {
        const rendered = renderScreenshot(spec);
        const stored = await putEvidence(rendered.png, this.dir);
        image = {
          sha256: stored.sha256,
          storageKey: stored.storageKey,
          mimeType: stored.mimeType,
          sizeBytes: stored.size,
          width: rendered.width,
          height: rendered.height,
          perceptualHash: rendered.perceptualHash,
        };
        this.images.push(image);
        if (spec.kind === 'profile') this.reusable.push(image);
      } else {
        image = this.reusable[mixSeed(this.seed, draft.id) % this.reusable.length]!;
      }
      rows.push({ ...rest, ...image });
    }
    return rows;
  }
}
