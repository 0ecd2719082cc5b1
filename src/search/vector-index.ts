import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;

export interface VectorHit { index: number; score: number }

/**
 * Approximate nearest neighbours (HNSW, cosine) over the chunk vectors.
 * Labels are chunk positions in the snapshot. The raw vectors are kept by
 * the snapshot, so the graph can always be rebuilt.
 */
export class VectorIndex {
  private constructor(private readonly hnsw: InstanceType<typeof HierarchicalNSW>, readonly size: number) {}

  static build(vectors: Float32Array, dimensions: number, count: number): VectorIndex {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    hnsw.initIndex({ maxElements: Math.max(1, count), m: 16, efConstruction: 100, randomSeed: 42 });
    for (let i = 0; i < count; i++) {
      hnsw.addPoint(Array.from(vectors.subarray(i * dimensions, (i + 1) * dimensions)), i);
    }
    hnsw.setEf(80);
    return new VectorIndex(hnsw, count);
  }

  static read(file: string, dimensions: number, count: number): VectorIndex {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    hnsw.readIndexSync(file);
    hnsw.setEf(80);
    return new VectorIndex(hnsw, count);
  }

  write(file: string): void {
    this.hnsw.writeIndexSync(file);
  }

  search(query: number[], k: number, allow?: (index: number) => boolean): VectorHit[] {
    if (this.size === 0) return [];
    const n = Math.min(k, this.size);
    const res = allow ? this.hnsw.searchKnn(query, n, allow) : this.hnsw.searchKnn(query, n);
    return res.neighbors.map((index, i) => ({ index, score: 1 - res.distances[i]! }));
  }
}
