import { expect, test } from '@playwright/test';
import sharp from 'sharp';
import { fixtures } from './fixture-file';
import { DEMO, signIn } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });
// Uploads run sharp on a shared 2-core machine.
test.setTimeout(60_000);

const picture = (color: string, width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: color } })
    .png()
    .toBuffer();

test('an agent uploads two images with progress bars; they appear beside the timeline and open in the viewer', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const ticketId = fixtures().evidence.upload;
  await page.goto(`/tickets/${ticketId}`);
  const evidence = page.getByRole('region', { name: 'Evidence' });
  await expect(evidence.getByText('No evidence attached')).toBeVisible();

  await evidence.getByLabel('Attach files…').setInputFiles([
    { name: 'first-proof.png', mimeType: 'image/png', buffer: await picture('#3355aa', 900, 1600) },
    { name: 'second-proof.png', mimeType: 'image/png', buffer: await picture('#aa5533', 600, 400) },
  ]);
  const uploads = evidence.getByRole('list', { name: 'Uploads' });
  await expect(uploads.getByTestId('evidence-upload-progress')).toHaveCount(2);
  await expect(uploads.locator('[data-status="stored"]')).toHaveCount(2);
  for (const name of ['first-proof.png', 'second-proof.png']) {
    await expect(uploads.getByRole('progressbar', { name: `Upload of ${name}` })).toHaveAttribute('value', '100');
  }
  await expect(page.getByRole('status').filter({ hasText: /stored\./ })).toHaveCount(1);

  // Stored: in the gallery, beside the order column, thumbnails loaded.
  await expect(evidence.getByTestId('evidence-item')).toHaveCount(2);
  // In the order they were stored (whichever finished first).
  await expect(evidence.getByRole('img', { name: /^Evidence \d: first-proof\.png$/ })).toBeVisible();
  await expect
    .poll(() =>
      evidence.getByTestId('evidence-thumbnail').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0)),
    )
    .toBe(true);

  // The viewer, and zoom.
  await evidence.getByRole('button', { name: /Open evidence \d \(first-proof\.png\)/ }).click();
  const viewer = page.getByRole('dialog', { name: /Evidence \d: first-proof\.png/ });
  await expect(viewer).toBeVisible();
  const level = viewer.getByLabel('Zoom level');
  const before = await level.textContent();
  await viewer.getByRole('button', { name: 'Zoom in' }).click();
  await expect(level).not.toHaveText(before ?? '');
  await viewer.getByRole('button', { name: '100%', exact: true }).click();
  await expect(level).toHaveText('100%');
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
});

test('a refused file shows its sentence and stores nothing', async ({ page }) => {
  await signIn(page, DEMO.agent);
  await page.goto(`/tickets/${fixtures().evidence.upload}`);
  const evidence = page.getByRole('region', { name: 'Evidence' });
  const count = await evidence.getByTestId('evidence-item').count();
  await evidence
    .getByLabel('Attach files…')
    .setInputFiles([
      { name: 'page.png', mimeType: 'image/png', buffer: Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>') },
    ]);
  const item = evidence.locator('[data-testid="evidence-upload-item"][data-status="refused"]');
  await expect(item).toContainText(
    '"page.png" is an HTML page, which is not accepted. Accepted are PNG, JPEG, WebP, GIF and HEIC/HEIF images and PDF documents.',
  );
  await expect(evidence.getByTestId('evidence-item')).toHaveCount(count);
});

test('a reused screenshot is flagged on the second customer’s ticket, with a link and the distance', async ({ page }) => {
  await signIn(page, DEMO.agent);
  const { first, second } = fixtures().evidence.reuse;
  await page.goto(`/tickets/${second}`);
  const flag = page.getByRole('region', { name: 'Evidence' }).getByTestId('evidence-reuse');
  await expect(flag).toContainText('Reused screenshot');
  await expect(flag).toContainText(/distance \d/);
  await flag.getByRole('link', { name: `T-${first}` }).click();
  await expect(page).toHaveURL(new RegExp(`/tickets/${first}#evidence$`));
  await expect(page.getByRole('region', { name: 'Evidence' }).getByTestId('evidence-reuse')).toContainText(`T-${second}`);
});
