/** Whether `headers` has `name` (lower case), whatever the case of its keys. */
export function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name)
}
