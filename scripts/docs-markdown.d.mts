export function joinSoftBreaks(markdown: string): string;
export function plainText(markdown: string): string;
export function rewriteDescriptions(node: unknown, rewrite: (text: string, where: string[]) => string, where?: string[]): void;
