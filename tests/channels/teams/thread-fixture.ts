import { CLAIRE, HUGO, INES, chatMessage, type ChatMessage } from './activities.js';

/**
 * A working group's channel discussion, as Teams carries it: an HTML root
 * message and its replies (original text, fictional people and places).
 */
export function psssmThread(): ChatMessage {
  const root = chatMessage(CLAIRE,
    '<p>Bonjour à toutes et tous,</p><p>Suite au COPIL, je propose qu&#39;on rédige ici la fiche <strong>Former les élus et agents municipaux aux premiers secours en santé mentale</strong> (axe 5 — droits et lutte contre la stigmatisation).</p>',
    '2026-03-12T08:30:00.000Z');
  const replies = [
    chatMessage(INES, '<p>Constat : les mairies de la Vallée-Basse nous appellent souvent quand une situation de crise se présente, et les agents d&#39;accueil ne savent pas quoi faire.</p>', '2026-03-12T09:05:00.000Z', root.id),
    chatMessage(HUGO, '<p>Objectif : former 60 agents et élus aux PSSM d&#39;ici fin 2027.</p><ul><li>organiser 4 sessions par an</li><li>cibler d&#39;abord les communes avec un CLSM</li></ul>', '2026-03-12T10:12:00.000Z', root.id),
    chatMessage(CLAIRE, '<p>Pilote : <at id="0">Hugo Lemaire</at> (CCAS de Port-Orme). Partenaires : UNAFAM, EPSM des Deux-Rives, association des maires.</p>', '2026-03-12T11:40:00.000Z', root.id),
    chatMessage(INES, '<p>Calendrier : première session au T4 2026. Indicateur : nombre de personnes formées par an.</p>', '2026-03-13T07:55:00.000Z', root.id),
  ];
  return { ...root, replies };
}

/** A root message followed by `n` replies: a thread far above any sensible drafting input. */
export function hugeThread(n: number): ChatMessage {
  const root = chatMessage(CLAIRE, '<p>Fiche à rédiger : accueil des personnes en crise dans les mairies.</p>', '2026-01-05T08:00:00.000Z');
  const replies: ChatMessage[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.parse('2026-01-05T09:00:00.000Z') + i * 60_000).toISOString();
    replies.push(chatMessage(i % 2 ? INES : HUGO, `<p>Réponse ${i + 1} : on en reparle à la prochaine réunion du groupe, merci de relire le compte rendu.</p>`, at, root.id));
  }
  return { ...root, replies };
}
