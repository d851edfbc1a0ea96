import { Size, SizeRoundingBehavior } from 'cdk8s';

/** Renders a memory Size as the most readable exact quantity ("8Gi", "512Mi", "1536Ki"). */
export function memoryQuantity(size: Size): string {
  const none = { rounding: SizeRoundingBehavior.NONE };
  const kib = size.toKibibytes(none);
  if (kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)}Gi`;
  if (kib % 1024 === 0) return `${kib / 1024}Mi`;
  return `${kib}Ki`;
}

/** Memory in bytes, for comparisons. */
export function memoryBytes(size: Size): number {
  return size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024;
}
