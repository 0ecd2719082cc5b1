import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUGGESTED_PROMPTS } from '../../../src/channels/slack/assistant-panel.js';
import { EVENT_SCOPES, INTERACTION_SCOPES, METHOD_SCOPES, SHORTCUTS, SLACK_EVENTS_PATH, SLASH_COMMAND } from '../../../src/channels/slack/ids.js';

/** Reads the items of the YAML list under `key:` (the manifest is plain block YAML). */
function listUnder(yaml: string, key: string): string[] {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  expect(start).toBeGreaterThanOrEqual(0);
  const indent = lines[start + 1]!.search(/\S/);
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.search(/\S/) !== indent || !l.trim().startsWith('- ')) break;
    out.push(l.trim().slice(2).trim());
  }
  return out;
}

const yaml = fs.readFileSync(new URL('../../../manifests/slack/manifest.yaml', import.meta.url), 'utf8');

describe('Slack manifest', () => {
  it('asks for exactly the scopes the app uses', () => {
    const used = new Set<string>([...INTERACTION_SCOPES]);
    for (const s of [...Object.values(METHOD_SCOPES), ...Object.values(EVENT_SCOPES)]) for (const one of s?.split(' ') ?? []) used.add(one);
    expect(listUnder(yaml, 'bot').sort()).toEqual([...used].sort());
  });

  it('lists every Web API method the Slack code calls in the code→scope table', () => {
    const dir = new URL('../../../src/channels/slack/', import.meta.url).pathname;
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const called = new Set<string>();
    for (const f of files) {
      const code = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of code.matchAll(/\bclient\.((?:[a-z]+\.){1,2}[a-zA-Z]+)\(/g)) called.add(m[1]!);
    }
    // Bolt's Assistant utilities call the panel's methods on our behalf.
    called.add('assistant.threads.setSuggestedPrompts');
    // files.uploadV2 is the SDK's wrapper around the two upload methods.
    called.delete('files.uploadV2');
    expect(called.size).toBeGreaterThan(10);
    expect([...called].filter((m) => !(m in METHOD_SCOPES))).toEqual([]);
  });

  it('declares the AI panel with the prompts the app suggests', () => {
    expect(yaml).toMatch(/\n {2}assistant_view:\n {4}assistant_description: \S/);
    const pairs = [...yaml.matchAll(/- title: (.+)\n\s+message: (.+)/g)].map((m) => ({ title: m[1]!.trim(), message: m[2]!.trim() }));
    expect(pairs).toEqual(SUGGESTED_PROMPTS.map(({ title, message }) => ({ title, message })));
  });

  it('subscribes to the events the app handles', () => {
    expect(listUnder(yaml, 'bot_events').sort()).toEqual(Object.keys(EVENT_SCOPES).sort());
  });

  it('declares the shortcut, the slash command, interactivity and the App Home on /slack/events', () => {
    expect(yaml).toContain(`callback_id: ${SHORTCUTS.draftFiche}`);
    expect(yaml).toContain('name: Rédiger une fiche action à partir de ce fil');
    expect(yaml).toContain(`command: ${SLASH_COMMAND}`);
    expect(yaml.match(new RegExp(`https://VOTRE-DOMAINE${SLACK_EVENTS_PATH}`, 'g'))).toHaveLength(3);
    expect(yaml).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(yaml).toContain('home_tab_enabled: true');
    expect(yaml).toContain('messages_tab_enabled: true');
  });
});
