// Types of consumer.mjs for the TypeScript tests that share its fixture app.

/** An app folder whose node_modules links both packages, as an install would place them; the caller removes it. */
export function makeApp(): string
