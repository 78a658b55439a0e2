/** RFC 1073 (NAWS): the window size a subnegotiation reports, or why it is refused.
 *  Zero means "unknown", so that dimension keeps what it had (`was`). */
export function nawsSize(payload: Buffer, was: { width: number; height: number }): { width: number; height: number } | { error: string } {
  if (payload.length !== 4) return { error: `NAWS subnegotiation of ${payload.length} bytes, expected 4` };
  const width = payload.readUInt16BE(0);
  const height = payload.readUInt16BE(2);
  return { width: width > 0 ? width : was.width, height: height > 0 ? height : was.height };
}
