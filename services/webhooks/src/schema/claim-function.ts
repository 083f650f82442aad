import { Migration } from '@headlesskey/platform';
import { iso } from './sql.js';

/**
 * The claim of an endpoint's due deliveries as one function, so a claim is one round trip to the
 * server instead of five (begin, lock, count, lease, commit): under load each round trip waits
 * its turn for a core, and the time from an event to its first attempt was mostly those waits.
 * The steps are those the worker ran in its own transaction: lock the endpoint row, count its
 * leases in force, lease at most what is left of its limit. In a PL/pgSQL function each statement
 * takes a fresh snapshot (READ COMMITTED), so the count after the lock sees every lease another
 * claimer committed before it.
 */
export class ClaimFunctionMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function claim_deliveries(p_endpoint uuid, p_max integer, p_per_endpoint integer, p_lease_ms double precision)
      returns table (id uuid, message_id text, event_id uuid, event_type text, body text, attempts integer, claim_token uuid,
        url text, secret text, previous_secret text, previous_secret_expires_at text, now text)
      language plpgsql volatile as $$
      #variable_conflict use_column
      declare
        ep endpoints%rowtype;
        free integer;
      begin
        select * into ep from endpoints e where e.id = p_endpoint for no key update;
        if not found or not ep.enabled then return; end if;
        select least(p_max, p_per_endpoint - count(*)) into free from deliveries d
          where d.endpoint_id = p_endpoint and d.status = 'pending' and d.locked_until > now();
        if free <= 0 then return; end if;
        return query
          update deliveries d set attempts = d.attempts + 1, locked_until = now() + p_lease_ms * interval '1 millisecond',
            claim_token = gen_random_uuid(), updated_at = now()
          where d.id in (
            select x.id from deliveries x
            where x.endpoint_id = p_endpoint and x.status = 'pending' and x.next_attempt_at <= now()
              and (x.locked_until is null or x.locked_until <= now())
            order by x.next_attempt_at, x.id limit free for update skip locked)
          returning d.id, d.message_id, d.event_id, d.event_type, d.body, d.attempts, d.claim_token, ep.url, ep.secret,
            ep.previous_secret, ${iso('ep.previous_secret_expires_at')}, ${iso('now()')};
      end $$`);
  }
}

/**
 * A lease names the process holding it (`claimed_by`, its `Liveness` id), so a worker can give
 * back at once the leases of a process that has gone — killed mid-attempt — instead of leaving
 * the endpoint's slots taken until those leases run out.
 */
export class LeaseHolderMigration extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table deliveries add column claimed_by text');
    this.addSql(`create index deliveries_leased_by on deliveries (claimed_by) where status = 'pending' and claimed_by is not null`);
    this.addSql('drop function claim_deliveries(uuid, integer, integer, double precision)');
    this.addSql(`create function claim_deliveries(p_endpoint uuid, p_max integer, p_per_endpoint integer, p_lease_ms double precision,
        p_holder text)
      returns table (id uuid, message_id text, event_id uuid, event_type text, body text, attempts integer, claim_token uuid,
        url text, secret text, previous_secret text, previous_secret_expires_at text, now text)
      language plpgsql volatile as $$
      #variable_conflict use_column
      declare
        ep endpoints%rowtype;
        free integer;
      begin
        select * into ep from endpoints e where e.id = p_endpoint for no key update;
        if not found or not ep.enabled then return; end if;
        select least(p_max, p_per_endpoint - count(*)) into free from deliveries d
          where d.endpoint_id = p_endpoint and d.status = 'pending' and d.locked_until > now();
        if free <= 0 then return; end if;
        return query
          update deliveries d set attempts = d.attempts + 1, locked_until = now() + p_lease_ms * interval '1 millisecond',
            claim_token = gen_random_uuid(), claimed_by = p_holder, updated_at = now()
          where d.id in (
            select x.id from deliveries x
            where x.endpoint_id = p_endpoint and x.status = 'pending' and x.next_attempt_at <= now()
              and (x.locked_until is null or x.locked_until <= now())
            order by x.next_attempt_at, x.id limit free for update skip locked)
          returning d.id, d.message_id, d.event_id, d.event_type, d.body, d.attempts, d.claim_token, ep.url, ep.secret,
            ep.previous_secret, ${iso('ep.previous_secret_expires_at')}, ${iso('now()')};
      end $$`);
  }
}
