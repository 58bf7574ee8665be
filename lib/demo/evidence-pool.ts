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

const NO_UPLOAD_FIELDS = {
  phash: null,
  phashBand0: null,
  phashBand1: null,
  phashBand2: null,
  phashBand3: null,
  thumbnailKey: null,
  uploadedByKey: null,
} as const;

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
      // Demo screenshots carry the seed's dHash only: they take no part in the reuse lookup
      // (the pool reuses its images across customers by construction, which is not fraud).
      rows.push({ ...rest, ...image, ...NO_UPLOAD_FIELDS });
    }
    return rows;
  }
}
