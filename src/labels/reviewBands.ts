// The band thresholds pair_review cuts on, from the config into pair_settings (latest write wins).
import { DEFAULTS, PAIR_SETTING_KEYS, PAIR_TABLES } from '../names.js';
import type { Store } from '../sink/Store.js';

/** review.bands in prefloop.yaml: below discard_below 'discard', from train_from 'train', between 'review'. */
export interface ReviewBands {
  discard_below: number;
  train_from: number;
}

export const DEFAULT_BANDS: ReviewBands = {
  discard_below: DEFAULTS.reviewDiscardBelow,
  train_from: DEFAULTS.reviewTrainFrom,
};

export async function writeReviewBands(
  store: Store,
  bands: ReviewBands,
  now: Date = new Date(),
): Promise<void> {
  if (!(bands.discard_below <= bands.train_from))
    throw new Error(
      `review bands: discard_below (${bands.discard_below}) is above train_from (${bands.train_from})`,
    );
  const UpdatedAt = String(now.getTime());
  await store.insert(PAIR_TABLES.pairSettings, [
    { Key: PAIR_SETTING_KEYS.reviewDiscardBelow, Value: String(bands.discard_below), UpdatedAt },
    { Key: PAIR_SETTING_KEYS.reviewTrainFrom, Value: String(bands.train_from), UpdatedAt },
  ]);
}
