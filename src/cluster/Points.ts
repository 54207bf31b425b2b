// The input HDBSCAN reads: n points of one dimension, row-major in one flat array (no per-row objects).

/** n points in `dim` dimensions; point i occupies data[i*dim .. i*dim+dim). */
export interface Points {
  /** How many points. */
  readonly n: number;
  /** Coordinates per point. */
  readonly dim: number;
  /** The coordinates, row-major. */
  readonly data: Float64Array | Float32Array;
}

/** Points from rows; every row must have the same length (mixed dimensions are refused by name). */
export function pointsFromRows(rows: readonly (readonly number[] | Float32Array | Float64Array)[]): Points {
  const n = rows.length;
  const dim = n === 0 ? 0 : rows[0]!.length;
  const data = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    if (row.length !== dim)
      throw new RangeError(
        `point ${i} has ${row.length} dimensions, point 0 has ${dim}: vectors must share one dimension`,
      );
    for (let k = 0; k < dim; k++) data[i * dim + k] = row[k]!;
  }
  return { n, dim, data };
}

/** Euclidean distance between points i and j. */
export function distance(p: Points, i: number, j: number): number {
  const { dim, data } = p;
  let sum = 0;
  const a = i * dim;
  const b = j * dim;
  for (let k = 0; k < dim; k++) {
    const d = data[a + k]! - data[b + k]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}
