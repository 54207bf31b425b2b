// Where the HH-RLHF harmless-base test split shipped in data/hh-rlhf/ lives: the one place tests and benches name it.
import { fileURLToPath } from 'node:url';

/** Its path inside the repository, as the README and reports show it. */
export const HH_RLHF_TEST_IN_REPO = 'data/hh-rlhf/harmless-base-test.jsonl.gz';

/** Its absolute path, found from this file's location so any working folder (and a fresh clone) works. */
export const HH_RLHF_TEST = fileURLToPath(new URL(`../../${HH_RLHF_TEST_IN_REPO}`, import.meta.url));
