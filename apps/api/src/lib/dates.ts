/** Today's calendar date in the business time zone (Asia/Taipei), as `YYYY-MM-DD`. */
export function taipeiDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Taipei',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}
