// A separate process that appends to an audit log as fast as it can, for the crash test to kill.
import { AuditLog } from '../../src/audit/auditLog';

const file = process.argv[2];
if (!file) throw new Error('usage: writer.ts FILE');
const log = AuditLog.open(file);
const big = 'x'.repeat(200_000);
process.stdout.write('ready\n');
void (async () => {
  for (let i = 0; ; i++) await log.append({ type: 'note', data: { i, payload: big } });
})();
