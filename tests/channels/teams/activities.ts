/**
 * Activities shaped exactly as Microsoft Teams posts them to a bot's
 * messaging endpoint (ids, channelData, entities, invoke values), pointed at
 * the fake connector through `serviceUrl`.
 */
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT = { id: '28:1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b', name: 'PTSM' };
export const TEAM = { id: '19:Xq8AbCdEfGhIjKlMnOpQrStUvWx@thread.tacv2', name: 'PTSM Vallée-Basse' };
export const CHANNEL = { id: '19:a8c0f3d2b1e94f7a9c6d5e4f3a2b1c0d@thread.tacv2', name: 'Groupe de travail pair-aidance' };
export const GROUP_CHAT = '19:meeting_OGQ4ZmM2ZjEtNWU0NC00@thread.v2';

export interface Person { id: string; name: string; aadObjectId: string }

export const INES: Person = { id: '29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrWEwtg', name: 'Inès Caradec', aadObjectId: '5e2b9a71-3c44-4d0e-9a51-6f1c2d3e4b5a' };
export const HUGO: Person = { id: '29:1T9vWmWq2kQb0Hh0Jp9kR8o6u4v2X0z8YcVbNmLkJhGfDsApOiUyTrEwQ1234567890AbCdEf', name: 'Hugo Lemaire', aadObjectId: '0b7f6e5d-4c3b-4a29-8817-263544536271' };
export const CLAIRE: Person = { id: '29:1ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210_zYxWvUtSrQpOnMlKjIhGfEdCbA', name: 'Claire Vidal', aadObjectId: '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d' };

export function personalConversationId(p: Person): string {
  return `a:1${p.aadObjectId.replace(/-/g, '')}Xk2P9bQzR7wLmN4vT8yH`;
}

let seq = 0;
/** Teams message ids are epoch milliseconds. */
export function messageId(): string {
  seq += 1;
  return String(1775030000000 + seq * 1000);
}

interface Where {
  kind: 'personal' | 'groupChat' | 'channel';
  /** Thread root id, for channel messages (replies in a thread). */
  root?: string;
}

function conversation(from: Person, where: Where, id: string): Record<string, unknown> {
  if (where.kind === 'personal') return { conversationType: 'personal', tenantId: TENANT, id: personalConversationId(from) };
  if (where.kind === 'groupChat') return { isGroup: true, conversationType: 'groupChat', tenantId: TENANT, id: GROUP_CHAT };
  return { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: `${CHANNEL.id};messageid=${where.root ?? id}` };
}

function channelData(where: Where): Record<string, unknown> {
  if (where.kind !== 'channel') return { tenant: { id: TENANT } };
  return { teamsChannelId: CHANNEL.id, teamsTeamId: TEAM.id, channel: { id: CHANNEL.id }, team: { id: TEAM.id }, tenant: { id: TENANT } };
}

function envelope(serviceUrl: string, from: Person, where: Where, id: string): Record<string, unknown> {
  return {
    id,
    timestamp: '2026-04-01T08:00:00.000Z',
    localTimestamp: '2026-04-01T10:00:00.000+02:00',
    channelId: 'msteams',
    serviceUrl,
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    conversation: conversation(from, where, id),
    recipient: { id: BOT.id, name: BOT.name },
    channelData: channelData(where),
    locale: 'fr-FR',
    localTimezone: 'Europe/Paris',
  };
}

const clientInfo = { type: 'clientInfo', locale: 'fr-FR', country: 'FR', platform: 'Web', timezone: 'Europe/Paris' };

/** A typed message; outside a 1:1 chat it starts with the bot's @mention, as Teams requires. */
export function message(serviceUrl: string, from: Person, text: string, where: Where = { kind: 'personal' }): Record<string, unknown> {
  const id = messageId();
  const mention = where.kind !== 'personal';
  return {
    ...envelope(serviceUrl, from, where, id),
    type: 'message',
    text: mention ? `<at>${BOT.name}</at> ${text}` : text,
    textFormat: 'plain',
    attachments: mention ? [{ contentType: 'text/html', content: `<div><div><at>${BOT.name}</at> ${text}</div></div>` }] : [],
    entities: mention
      ? [{ type: 'mention', mentioned: { id: BOT.id, name: BOT.name }, text: `<at>${BOT.name}</at>` }, clientInfo]
      : [clientInfo],
  };
}

/** A click on an Action.Submit of the bot's card: a message with `value`, replying to the card. */
export function cardSubmit(serviceUrl: string, from: Person, cardActivityId: string, value: Record<string, unknown>, where: Where = { kind: 'personal' }): Record<string, unknown> {
  const env = envelope(serviceUrl, from, where, messageId());
  return {
    ...env,
    type: 'message',
    replyToId: cardActivityId,
    value,
    channelData: { ...(env.channelData as object), source: { name: 'message' }, legacy: { replyToId: cardActivityId } },
    entities: [clientInfo],
  };
}

export interface ChatMessage {
  id: string;
  replyToId?: string | null;
  createdDateTime: string;
  from: { user: { id: string; displayName: string; userIdentityType: 'aadUser' } };
  body: { contentType: 'html' | 'text'; content: string };
  replies?: ChatMessage[];
}

export function chatMessage(from: Person, html: string, createdDateTime: string, replyToId: string | null = null): ChatMessage {
  return {
    id: messageId(),
    replyToId,
    createdDateTime,
    from: { user: { id: from.aadObjectId, displayName: from.name, userIdentityType: 'aadUser' } },
    body: { contentType: 'html', content: html },
  };
}

function payloadOf(m: ChatMessage): Record<string, unknown> {
  return {
    ...m,
    messageType: 'message',
    importance: 'normal',
    locale: 'fr-fr',
    linkToMessage: `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL.id)}/${m.id}`,
    attachments: [],
    mentions: [],
    reactions: [],
  };
}

function invoke(serviceUrl: string, from: Person, where: Where, name: string, value: unknown): Record<string, unknown> {
  return {
    ...envelope(serviceUrl, from, where, `f:${messageId()}`),
    type: 'invoke',
    name,
    value,
    entities: [clientInfo],
  };
}

export function fetchTask(serviceUrl: string, from: Person, payload: ChatMessage, where: Where = { kind: 'channel' }): Record<string, unknown> {
  return invoke(serviceUrl, from, { ...where, root: where.root ?? payload.replyToId ?? payload.id }, 'composeExtension/fetchTask', {
    commandId: 'draftFiche', commandContext: 'message', context: { theme: 'default' }, messagePayload: payloadOf(payload),
  });
}

export function submitAction(serviceUrl: string, from: Person, payload: ChatMessage, data: Record<string, unknown> | undefined, where: Where = { kind: 'channel' }): Record<string, unknown> {
  return invoke(serviceUrl, from, { ...where, root: where.root ?? payload.replyToId ?? payload.id }, 'composeExtension/submitAction', {
    commandId: 'draftFiche', commandContext: 'message', context: { theme: 'default' }, messagePayload: payloadOf(payload),
    ...(data ? { data } : {}),
  });
}

export function fileConsent(serviceUrl: string, from: Person, consentActivityId: string, action: 'accept' | 'decline', context: unknown, uploadUrl: string): Record<string, unknown> {
  return {
    ...invoke(serviceUrl, from, { kind: 'personal' }, 'fileConsent/invoke', {
      type: 'fileUpload', action, context,
      ...(action === 'accept' ? {
        uploadInfo: {
          contentUrl: 'https://vallee-my.sharepoint.com/personal/ines_caradec/Documents/Applications/PTSM/fiche.docx',
          name: 'FA-fiche.docx', uploadUrl, uniqueId: '7A1C2B3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D', fileType: 'docx',
        },
      } : {}),
    }),
    replyToId: consentActivityId,
  };
}

export function genericInvoke(serviceUrl: string, from: Person, name: string, value: unknown): Record<string, unknown> {
  return invoke(serviceUrl, from, { kind: 'personal' }, name, value);
}

/** The bot added to a 1:1 chat, a group chat or a team (Teams then sends conversationUpdate). */
export function botAdded(serviceUrl: string, by: Person, where: 'personal' | 'team'): Record<string, unknown> {
  if (where === 'personal') {
    return { ...envelope(serviceUrl, by, { kind: 'personal' }, messageId()), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] };
  }
  return {
    ...envelope(serviceUrl, by, { kind: 'channel' }, messageId()),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
    conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT, id: TEAM.id },
    channelData: { team: { id: TEAM.id, name: TEAM.name }, eventType: 'teamMemberAdded', tenant: { id: TENANT }, settings: { selectedChannel: { id: TEAM.id } } },
  };
}

export function installationUpdate(serviceUrl: string, by: Person, action: 'add' | 'remove'): Record<string, unknown> {
  return { ...envelope(serviceUrl, by, { kind: 'personal' }, messageId()), type: 'installationUpdate', action };
}
