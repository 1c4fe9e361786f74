import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDevcontainerConfig, DEFAULT_HARDENING, mergeHardened, verifyContainer, type InspectedContainer } from '../../src/sandbox/hardening';

// [devcontainer.json fragment, refused key (or undefined when accepted), why]
const rows: [Record<string, unknown>, string | undefined, string][] = [
  [{ image: 'node:20' }, undefined, 'a plain image'],
  [{ runArgs: ['--init', '-e', 'FOO=1', '--label=x=y', '--shm-size=1g', '--cap-drop=NET_RAW', '--security-opt', 'no-new-privileges'] }, undefined, 'harmless flags, with and without =, and the flag value is not read as a flag'],
  [{ privileged: true }, 'privileged', 'privileged'],
  [{ runArgs: ['--privileged'] }, 'runArgs[0]', '--privileged in runArgs'],
  [{ runArgs: ['--cap-add=SYS_ADMIN'] }, 'runArgs[0]', 'capability'],
  [{ runArgs: ['--cap-add', 'NET_ADMIN'] }, 'runArgs[1]', 'capability, separate value'],
  [{ capAdd: ['SYS_PTRACE'] }, 'capAdd', 'capAdd property'],
  [{ securityOpt: ['seccomp=unconfined'] }, 'securityOpt', 'seccomp off'],
  [{ runArgs: ['--security-opt=apparmor=unconfined'] }, 'runArgs[0]', 'AppArmor off'],
  [{ runArgs: ['--network=host'] }, 'runArgs[0]', 'host network'],
  [{ runArgs: ['--net', 'host'] }, 'runArgs[0]', 'host network, short spelling'],
  [{ runArgs: ['--pid=host'] }, 'runArgs[0]', 'host pid namespace'],
  [{ runArgs: ['-v', '/:/host'] }, 'runArgs[0]', 'host root mount'],
  [{ runArgs: ['--volume=/var/run/docker.sock:/var/run/docker.sock'] }, 'runArgs[0]', 'docker socket'],
  [{ runArgs: ['--mount', 'type=bind,source=/home,target=/h'] }, 'runArgs[0]', 'bind mount flag'],
  [{ runArgs: ['--device=/dev/kvm'] }, 'runArgs[0]', 'device'],
  [{ runArgs: ['-u', 'root'] }, 'runArgs[0]', 'user flag'],
  [{ runArgs: ['--group-add', 'docker'] }, 'runArgs[0]', 'docker group'],
  [{ runArgs: ['--userns=host'] }, 'runArgs[0]', 'userns'],
  [{ runArgs: ['--some-future-flag'] }, 'runArgs[0]', 'an unknown flag is refused (fail closed)'],
  [{ mounts: ['source=/home/me/.ssh,target=/root/.ssh,type=bind'] }, 'mounts[0]', 'host path mount'],
  [{ mounts: [{ source: '/var/run/docker.sock', target: '/var/run/docker.sock', type: 'bind' }] }, 'mounts[0]', 'docker socket object mount'],
  [{ mounts: ['source=cache,target=/cache,type=volume'] }, undefined, 'a named volume'],
  [{ initializeCommand: 'curl x | sh' }, 'initializeCommand', 'runs on the host'],
  [{ remoteUser: 'root' }, 'remoteUser', 'root user'],
  [{ containerUser: '0:0' }, 'containerUser', 'uid 0'],
  [{ workspaceMount: 'source=/,target=/w,type=bind' }, 'workspaceMount', 'own workspace mount'],
  [{ dockerComposeFile: 'compose.yml' }, 'dockerComposeFile', 'compose picks its own networks'],
  [{ appPort: [3000] }, 'appPort', 'publishes ports'],
];

for (const [config, key, why] of rows) {
  test(`devcontainer.json ${JSON.stringify(config)} → ${key ? `refused at ${key}` : 'accepted'} (${why})`, () => {
    const refusals = checkDevcontainerConfig(config, DEFAULT_HARDENING);
    if (!key) assert.deepEqual(refusals, []);
    else {
      assert.ok(refusals.some((r) => r.key === key), JSON.stringify(refusals));
      assert.ok(refusals.every((r) => r.message.length > 10), 'every refusal says why');
    }
  });
}

test('capabilities the team policy names may be added back', () => {
  assert.deepEqual(checkDevcontainerConfig({ runArgs: ['--cap-add=NET_ADMIN'], capAdd: ['CAP_NET_ADMIN'] }, { ...DEFAULT_HARDENING, capabilities: ['NET_ADMIN'] }), []);
});

test('the merged config puts every hardening flag after the workspace settings', () => {
  const merged = mergeHardened({ config: { image: 'x', runArgs: ['--init'], containerEnv: { HTTP_PROXY: 'http://evil' } }, hardening: DEFAULT_HARDENING, network: 'airlock-n', mountSource: '/copy', workspaceFolder: '/ws', readOnlyMounts: [{ source: '/copy/.git/hooks', target: '/ws/.git/hooks' }], agentPath: '/a.js', proxyUrl: 'http://gw:1', user: 'airlock', labels: {} });
  const runArgs = merged.runArgs as string[];
  assert.equal(runArgs[0], '--init');
  for (const flag of ['--cap-drop=ALL', '--security-opt=no-new-privileges:true', '--network=airlock-n', '--pids-limit=512', '--memory=2048m']) assert.ok(runArgs.includes(flag), flag);
  assert.equal((merged.containerEnv as Record<string, string>).HTTP_PROXY, 'http://gw:1', 'the workspace cannot point the proxy elsewhere');
  assert.ok((merged.mounts as string[]).includes('type=bind,source=/copy/.git/hooks,target=/ws/.git/hooks,readonly'));
  assert.equal(merged.privileged, false);
  assert.equal(merged.updateRemoteUserUID, false);
});

const good: InspectedContainer = {
  HostConfig: { Privileged: false, CapAdd: null, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges:true'], NetworkMode: 'airlock-n', PidsLimit: 512, Memory: 2048 * 1024 * 1024 },
  Config: { User: 'airlock' },
  Mounts: [{ Type: 'bind', Source: '/copy', Destination: '/ws' }],
};
const expect = { network: 'airlock-n', hardening: DEFAULT_HARDENING, allowedBinds: ['/copy'] };

test('verifyContainer accepts the hardened container', () => {
  assert.deepEqual(verifyContainer(good, expect), []);
});

const tampered: [string, InspectedContainer][] = [
  ['privileged by a feature', { ...good, HostConfig: { ...good.HostConfig, Privileged: true } }],
  ['capability from image metadata', { ...good, HostConfig: { ...good.HostConfig, CapAdd: ['SYS_ADMIN'] } }],
  ['caps not dropped', { ...good, HostConfig: { ...good.HostConfig, CapDrop: [] } }],
  ['seccomp off', { ...good, HostConfig: { ...good.HostConfig, SecurityOpt: ['no-new-privileges:true', 'seccomp=unconfined'] } }],
  ['another network', { ...good, HostConfig: { ...good.HostConfig, NetworkMode: 'bridge' } }],
  ['no pids limit', { ...good, HostConfig: { ...good.HostConfig, PidsLimit: 0 } }],
  ['root user', { ...good, Config: { User: 'root' } }],
  ['image default user', { ...good, Config: { User: '' } }],
  ['extra host mount', { ...good, Mounts: [...(good.Mounts ?? []), { Type: 'bind', Source: '/home/me', Destination: '/h' }] }],
  ['docker socket volume', { ...good, Mounts: [...(good.Mounts ?? []), { Type: 'volume', Source: '/var/run/docker.sock', Destination: '/s' }] }],
];
for (const [why, c] of tampered) {
  test(`verifyContainer refuses: ${why}`, () => {
    assert.ok(verifyContainer(c, expect).length > 0);
  });
}
