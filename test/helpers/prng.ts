// A tiny seeded PRNG for fuzz and property tests, so every run checks the same cases: the product's own.
export { seededRandom as prng } from '../../src/seededRandom.js';
