import { seededRandom } from '../data/random';
import { expectInteger, expectNumber } from '../pipeline/validate';
import { embeddingDistance } from './frame-embedding';

/** Options of {@link tsne}. */
export interface TsneOptions {
  /** Effective number of neighbours each point attends to. Default 30, lowered to (n - 1) / 3 for few points. */
  readonly perplexity?: number;
  /** Gradient steps. Default 500. */
  readonly iterations?: number;
  /** Seed of the initial layout. Default 1. */
  readonly seed?: number;
}

/**
 * A 2-D map of high-dimensional points by exact t-SNE (van der Maaten and Hinton 2008, with the
 * early exaggeration and momentum schedule of the paper's reference implementation): points close in
 * embedding space land close on the map. O(n²) per step, meant for up to a thousand or so points
 * (sample a longer video first). Deterministic for a seed.
 *
 * @example
 * const xy = tsne(embeddings); // [[x0, y0], [x1, y1], …]
 * @throws {InvalidOptionError} for a bad perplexity or iteration count.
 */
export function tsne(points: readonly Float32Array[], options: TsneOptions = {}): Array<[number, number]> {
  const n = points.length;
  const iterations = expectInteger('iterations', options.iterations ?? 500, 1, 100_000);
  const wanted = expectNumber('perplexity', options.perplexity ?? 30, 1, 1000);
  if (n === 0) return [];
  if (n === 1) return [[0, 0]];
  const perplexity = Math.max(1, Math.min(wanted, (n - 1) / 3));
  const p = jointProbabilities(points, perplexity);
  const random = seededRandom(options.seed ?? 1);
  const y = new Float64Array(n * 2);
  for (let i = 0; i < n * 2; i++) y[i] = gaussian(random) * 1e-4;
  const gains = new Float64Array(n * 2).fill(1);
  const update = new Float64Array(n * 2);
  const grad = new Float64Array(n * 2);
  const q = new Float64Array(n * n);
  const learningRate = Math.max(n / 12, 50);
  for (let step = 0; step < iterations; step++) {
    const exaggeration = step < 100 ? 12 : 1;
    const momentum = step < 250 ? 0.5 : 0.8;
    let qSum = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = y[i * 2]! - y[j * 2]!;
        const dy = y[i * 2 + 1]! - y[j * 2 + 1]!;
        const w = 1 / (1 + dx * dx + dy * dy);
        q[i * n + j] = w;
        q[j * n + i] = w;
        qSum += 2 * w;
      }
    }
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const w = q[i * n + j]!;
        const force = (exaggeration * p[i * n + j]! - w / qSum) * w;
        grad[i * 2]! += 4 * force * (y[i * 2]! - y[j * 2]!);
        grad[i * 2 + 1]! += 4 * force * (y[i * 2 + 1]! - y[j * 2 + 1]!);
      }
    }
    for (let k = 0; k < n * 2; k++) {
      const sameSign = Math.sign(grad[k]!) === Math.sign(update[k]!);
      gains[k] = Math.max(0.01, sameSign ? gains[k]! * 0.8 : gains[k]! + 0.2);
      update[k] = momentum * update[k]! - learningRate * gains[k]! * grad[k]!;
      y[k]! += update[k]!;
    }
    center(y, n);
  }
  return Array.from({ length: n }, (_, i) => [y[i * 2]!, y[i * 2 + 1]!] as [number, number]);
}

/** Symmetrised conditional probabilities, each row's Gaussian width found by bisection on its entropy. */
function jointProbabilities(points: readonly Float32Array[], perplexity: number): Float64Array {
  const n = points.length;
  const d2 = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = embeddingDistance(points[i]!, points[j]!);
      d2[i * n + j] = d * d;
      d2[j * n + i] = d * d;
    }
  }
  const conditional = new Float64Array(n * n);
  const targetEntropy = Math.log(perplexity);
  for (let i = 0; i < n; i++) {
    let beta = 1;
    let lo = 0;
    let hi = Number.POSITIVE_INFINITY;
    // Distances relative to the row's nearest, so exp() neither underflows nor overflows.
    let nearest = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) if (j !== i) nearest = Math.min(nearest, d2[i * n + j]!);
    for (let tries = 0; tries < 60; tries++) {
      let sum = 0;
      let weighted = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const w = Math.exp(-(d2[i * n + j]! - nearest) * beta);
        conditional[i * n + j] = w;
        sum += w;
        weighted += (d2[i * n + j]! - nearest) * w;
      }
      const entropy = Math.log(sum) + (beta * weighted) / sum;
      for (let j = 0; j < n; j++) conditional[i * n + j]! /= sum;
      if (Math.abs(entropy - targetEntropy) < 1e-5) break;
      if (entropy > targetEntropy) {
        lo = beta;
        beta = hi === Number.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
  }
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) p[i * n + j] = Math.max((conditional[i * n + j]! + conditional[j * n + i]!) / (2 * n), 1e-12);
  }
  return p;
}

function center(y: Float64Array, n: number): void {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += y[i * 2]! / n;
    my += y[i * 2 + 1]! / n;
  }
  for (let i = 0; i < n; i++) {
    y[i * 2]! -= mx;
    y[i * 2 + 1]! -= my;
  }
}

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
