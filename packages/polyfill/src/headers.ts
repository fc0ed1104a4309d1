/** Whether `headers` has `name` (lower case), whatever the case of its keys. */
export function hasHeader(headers: Record<string, string>, name: string): boolean {
  for (const key in headers) if (key.toLowerCase() === name) return true
  return false
}
