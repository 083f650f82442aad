import type { identityCommands } from '@headlesskey/contracts';
import type { Output } from '../command.js';

type ImportOutcome = identityCommands.ImportOutcome;

/** How many refused users the summary names one by one; the counts cover them all. */
const LISTED = 1000;

/** What an import did, tallied as it goes: counts, and the refused users (up to `LISTED`) to name. */
export class ImportTally {
  imported = 0;
  unchanged = 0;
  refused = 0;
  private readonly reasons = new Map<string, number>();
  private readonly named: string[] = [];

  add(outcome: ImportOutcome, login: string): void {
    if (outcome.outcome !== 'refused') {
      this[outcome.outcome] += 1;
      return;
    }
    this.refuse(outcome.user_id, login, outcome.reason ?? 'refused');
  }

  refuse(id: number, login: string, reason: string): void {
    this.refused += 1;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    if (this.named.length < LISTED) this.named.push(`  ${String(id).padStart(8)}  ${JSON.stringify(login)}  ${reason}`);
  }

  get done(): number {
    return this.imported + this.unchanged + this.refused;
  }

  print(out: Output, dryRun: boolean, seconds: number): void {
    const would = dryRun ? 'would be ' : '';
    out.say(`${dryRun ? 'Dry run, nothing changed: ' : ''}${this.done} WordPress users in ${seconds.toFixed(1)} s`);
    out.say(`  ${would}imported   ${this.imported}`);
    out.say(`  unchanged  ${this.unchanged}`);
    out.say(`  ${would}refused    ${this.refused}`);
    for (const [reason, n] of [...this.reasons].sort((a, b) => b[1] - a[1])) out.say(`    ${reason.padEnd(22)} ${n}`);
    if (this.named.length === 0) return;
    out.say(`Refused (ID, login, reason)${this.refused > LISTED ? `, the first ${LISTED}` : ''}:`);
    for (const line of this.named) out.say(line);
  }
}
