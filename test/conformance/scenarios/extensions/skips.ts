/** The skip reason of a scenario about the XHR transport only (on every other polyfill environment). */
export const onlyXhr = 'the XHR transport only'
