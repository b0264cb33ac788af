/**
 * Month arithmetic on printed dates, as the reference counts history months.
 *
 * @module
 */

/**
 * The date `back` months before `date` (YYYY-MM-DD…): the same day, clamped to the
 * target month's end, and a month's last day stays the last day (2024-11-30 one month
 * back is 2024-10-31; 2024-03-30 one month back is 2024-02-29, two months 2024-01-30).
 *
 * @param date A date whose first 10 characters are YYYY-MM-DD.
 * @param back How many months to go back (0 keeps the date).
 * @returns The date as YYYY-MM-DD.
 */
export function monthsBefore(date: string, back: number): string {
  const [y = 2000, m = 1, d = 1] = date.slice(0, 10).split("-").map(Number);
  const last = new Date(Date.UTC(y, m - back, 0)).getUTCDate();
  const endOfMonth = d === new Date(Date.UTC(y, m, 0)).getUTCDate();
  return new Date(
    Date.UTC(y, m - 1 - back, endOfMonth ? last : Math.min(d, last)),
  ).toISOString().slice(0, 10);
}
