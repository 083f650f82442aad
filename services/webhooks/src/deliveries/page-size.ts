/** `per_page`: 1–100, 50 unless given. */
export function pageSize(text: string | undefined): number | undefined {
  if (text === undefined) return 50;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : undefined;
}
