import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { PasswordWork } from './admission.js';

/**
 * TEST ONLY (`HEADLESSKEY_TEST_ONLY_BCRYPT_DELAY_FILE`, refused unless `NODE_ENV=test`): every
 * piece of password work first waits the milliseconds written in `file`, read afresh each time,
 * inside its slot and so timed with it. Black-box tests make bcrypt slow and then fast again, as a
 * CPU spike would, without burning the CPU of a shared machine. A missing or unreadable file is 0.
 */
export class DelayedPasswordWork extends PasswordWork {
  constructor(
    slots: number,
    private readonly file: string,
  ) {
    super(slots);
  }

  override run<T>(deadline: number | undefined, work: () => Promise<T>): Promise<T> {
    return super.run(deadline, async () => {
      const ms = await this.delayMs();
      if (ms > 0) await sleep(ms);
      return work();
    });
  }

  private async delayMs(): Promise<number> {
    const text = await readFile(this.file, 'utf8').catch(() => '0');
    const ms = Number(text.trim());
    return Number.isFinite(ms) && ms > 0 ? ms : 0;
  }
}
