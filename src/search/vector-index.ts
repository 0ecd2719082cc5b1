import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;

export interface VectorHit { index: number; score: number }

const M = 16;
const EF_CONSTRUCTION = 100;
const EF_SEARCH = 80;

/**
 * Approximate nearest neighbours (HNSW, cosine) over the passage vectors.
 * Labels are the passages' rowids in the generation's SQLite file, which also
 * keeps the raw vectors: the graph can always be rebuilt from them.
 */
export class VectorIndex {
  private constructor(
    private readonly hnsw: InstanceType<typeof HierarchicalNSW>,
    readonly dimensions: number,
    /** Points marked deleted (kept by the owner's metadata: hnswlib only knows it by listing every label). */
    private deleted: number,
  ) {}

  static empty(dimensions: number, capacity: number): VectorIndex {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    hnsw.initIndex({ maxElements: Math.max(1, capacity), m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 42 });
    hnsw.setEf(EF_SEARCH);
    return new VectorIndex(hnsw, dimensions, 0);
  }

  static build(points: Iterable<{ id: number; vector: ArrayLike<number> }>, dimensions: number, capacity: number): VectorIndex {
    const index = VectorIndex.empty(dimensions, capacity);
    for (const p of points) index.add(p.id, p.vector);
    return index;
  }

  static read(file: string, dimensions: number, deleted: number): VectorIndex {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    hnsw.readIndexSync(file);
    hnsw.setEf(EF_SEARCH);
    return new VectorIndex(hnsw, dimensions, deleted);
  }

  /** Live points (not marked deleted). */
  get size(): number {
    return this.hnsw.getCurrentCount() - this.deleted;
  }

  get deletedCount(): number {
    return this.deleted;
  }

  add(id: number, vector: ArrayLike<number>): void {
    if (this.hnsw.getCurrentCount() >= this.hnsw.getMaxElements()) {
      this.hnsw.resizeIndex(Math.max(16, Math.ceil(this.hnsw.getMaxElements() * 1.5)));
    }
    this.hnsw.addPoint(Array.from(vector), id);
  }

  /** Reserves room for `more` points at once (one resize instead of many). */
  reserve(more: number): void {
    const need = this.hnsw.getCurrentCount() + more;
    // Geometric growth: resizing copies the whole graph.
    if (need > this.hnsw.getMaxElements()) this.hnsw.resizeIndex(Math.max(need, Math.ceil(this.hnsw.getMaxElements() * 1.5)));
  }

  remove(id: number): void {
    try {
      this.hnsw.markDelete(id);
      this.deleted++;
    } catch {
      /* a label the graph never had (index built before the vector existed) */
    }
  }

  /** The stored (normalised) vector of a label. */
  vector(id: number): number[] | null {
    try {
      return this.hnsw.getPoint(id);
    } catch {
      return null;
    }
  }

  /** Reads a graph off the JavaScript thread (hnswlib's worker): a server can take questions while a large graph loads. */
  static async readInBackground(file: string, dimensions: number, deleted: number): Promise<VectorIndex> {
    const hnsw = new HierarchicalNSW('cosine', dimensions);
    await hnsw.readIndex(file);
    hnsw.setEf(EF_SEARCH);
    return new VectorIndex(hnsw, dimensions, deleted);
  }

  write(file: string): void {
    this.hnsw.writeIndexSync(file);
  }

  search(query: number[], k: number, allow?: (label: number) => boolean): VectorHit[] {
    const live = this.size;
    if (live <= 0) return [];
    const n = Math.min(k, live);
    const res = allow ? this.hnsw.searchKnn(query, n, allow) : this.hnsw.searchKnn(query, n);
    return res.neighbors.map((index, i) => ({ index, score: 1 - res.distances[i]! }));
  }
}
