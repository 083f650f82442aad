const MAX_LINE = 2_000;

/** The last lines a child process wrote, kept to explain why it stopped. */
export class OutputTail {
  readonly #lines: string[] = [];
  #partial = '';

  constructor(private readonly maxLines = 40) {}

  write(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = (parts.pop() ?? '').slice(-MAX_LINE);
    for (const line of parts) {
      this.#lines.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
      if (this.#lines.length > this.maxLines) this.#lines.shift();
    }
  }

  text(): string {
    return [...this.#lines, this.#partial].filter((line) => line.trim() !== '').join('\n');
  }
}
