import type { Command, OptionSpec } from './context.js';

/** `--channel`: the CLI runs as the operator, who sees everything; this shows what a channel would see (src/cli/audience.ts). */
const CHANNEL_OPTION: OptionSpec = {
  channel: { type: 'string', description: 'voir comme un canal le verrait : slack:C0…, teams:<conversation>, web:<canal> (défaut : l’opérateur, qui voit tout)' },
};

/**
 * Every CLI command, in the order `ptsm help` lists them. Only the names,
 * summaries and options live here: each command's code (and what it pulls
 * in — SQLite, the index, Bolt, express…) is imported when it runs, so
 * `ptsm --help` or `ptsm when` start without loading the rest.
 */
export const COMMANDS: readonly Command[] = [
  {
    name: 'index',
    summary: 'Indexe des fichiers ou dossiers (PDF, DOCX, Markdown, texte, HTML)',
    usage: 'ptsm index <chemin…> [--kind ptsm|fiche|compte-rendu|autre] [--json] [--data DIR] [--territory T]',
    territory: 'create',
    options: {
      kind: { type: 'string', description: 'force le type de document de tous les fichiers' },
      json: { type: 'boolean', description: 'rapport au format JSON' },
    },
    load: async () => (await import('./commands/index-cmd.js')).runIndex,
  },
  {
    name: 'search',
    summary: 'Recherche des passages dans les documents indexés',
    usage: 'ptsm search "<requête>" [--k N] [--mode hybrid|bm25|vector] [--kind fiche] [--channel slack:C…] [--json] [--data DIR]',
    options: {
      k: { type: 'string', description: 'nombre de résultats (5 par défaut)' },
      mode: { type: 'string', description: 'hybrid (défaut), bm25 ou vector' },
      kind: { type: 'string', description: 'limite à un type de document' },
      json: { type: 'boolean', description: 'sortie JSON : [{source, title, kind, page, section, text, score}]' },
      ...CHANNEL_OPTION,
    },
    load: async () => (await import('./commands/search-cmd.js')).runSearch,
  },
  {
    name: 'ask',
    summary: 'Pose une question sur le PTSM : réponse courte et sourcée',
    usage: 'ptsm ask "<question>" [--history conversation.json] [--channel slack:C…] [--json] [--data DIR]',
    options: {
      history: { type: 'string', description: 'fichier JSON [{role: "user"|"assistant", content}] des échanges précédents' },
      json: { type: 'boolean', description: 'sortie JSON : {answer, abstained, citations:[{source, title, page, section, quote}]}' },
      ...CHANNEL_OPTION,
    },
    load: async () => (await import('./commands/ask-cmd.js')).runAsk,
  },
  {
    name: 'stats',
    summary: "État de l'index : documents, passages, types, erreurs",
    usage: 'ptsm stats [--json] [--data DIR]',
    options: { json: { type: 'boolean', description: 'sortie JSON' } },
    load: async () => (await import('./commands/stats-cmd.js')).runStats,
  },
  {
    name: 'draft',
    summary: 'Rédige un brouillon de fiche action à partir d’un fil de discussion (JSON ou texte « Nom : message »)',
    usage: 'ptsm draft <fil.json|fil.txt> [--json] [--out fiche.docx|fiche.md] [--ref AAAA-MM-JJ]',
    territory: 'none',
    options: {
      json: { type: 'boolean', description: 'sortie JSON : {fiche, missing, provenance}' },
      out: { type: 'string', description: 'écrit la fiche dans un fichier .docx ou .md' },
      ref: { type: 'string', description: 'date de référence des échéances relatives des messages sans horodatage (fil texte) ; un message horodaté est toujours lu à sa propre date (défaut : aujourd’hui)' },
    },
    load: async () => (await import('./commands/fiche-cmds.js')).runDraft,
  },
  {
    name: 'fiches',
    summary: 'Liste les fiches actions du registre',
    usage: 'ptsm fiches [--channel slack:C…] [--json] [--data DIR]',
    options: { json: { type: 'boolean', description: 'sortie JSON : tableau de fiches' }, ...CHANNEL_OPTION },
    load: async () => (await import('./commands/fiche-cmds.js')).runFiches,
  },
  {
    name: 'fiche',
    summary: 'Affiche une fiche action (par numéro ou identifiant)',
    usage: 'ptsm fiche <numéro|id> [--json] [--out fiche.docx|fiche.md] [--channel slack:C…] [--data DIR]',
    options: {
      json: { type: 'boolean', description: 'sortie JSON de la fiche' },
      out: { type: 'string', description: 'exporte la fiche en .docx ou .md' },
      ...CHANNEL_OPTION,
    },
    load: async () => (await import('./commands/fiche-cmds.js')).runFiche,
  },
  {
    name: 'when',
    summary: 'Interprète une échéance écrite en français (« T2 2025 », « d’ici fin 2026 »…)',
    usage: 'ptsm when "<expression>" [--ref AAAA-MM-JJ] [--json]',
    territory: 'none',
    options: {
      ref: { type: 'string', description: 'date de référence pour les expressions relatives (défaut : aujourd’hui)' },
      json: { type: 'boolean', description: 'sortie JSON : {text, start, end, precision}' },
    },
    load: async () => (await import('./commands/when-cmd.js')).runWhen,
  },
  {
    name: 'milestones',
    summary: 'Liste les jalons des fiches (échéances, pilotes, statut) ; export ICS',
    usage: 'ptsm milestones [--json] [--ics fichier.ics] [--status "en retard"] [--channel slack:C…] [--data DIR]',
    options: {
      json: { type: 'boolean', description: 'sortie JSON' },
      ics: { type: 'string', description: 'écrit un calendrier ICS (abonnement dans tout agenda)' },
      status: { type: 'string', description: 'filtre : à venir, fait, reporté, en retard, abandonné' },
      ...CHANNEL_OPTION,
    },
    load: async () => (await import('./commands/milestone-cmds.js')).runMilestones,
  },
  {
    name: 'reminders',
    summary: 'Relances dues à une date : liste, et envoi (sauf --dry-run)',
    usage: 'ptsm reminders [--now ISO] [--dry-run] [--json] [--outbox fichier.jsonl] [--data DIR]',
    options: {
      now: { type: 'string', description: 'instant considéré (défaut : maintenant)' },
      'dry-run': { type: 'boolean', description: 'liste sans envoyer' },
      json: { type: 'boolean', description: 'sortie JSON : [{key, pilot, ficheId, milestone, due, kind}]' },
      outbox: { type: 'string', description: 'fichier où le notificateur de la ligne de commande écrit les relances (défaut : DATA/relances.jsonl)' },
    },
    load: async () => (await import('./commands/milestone-cmds.js')).runReminders,
  },
  {
    name: 'decisions',
    summary: 'Registre des décisions et suites à donner lu dans les comptes rendus',
    usage: 'ptsm decisions [--meeting copil] [--since 2026-01] [--fiche N] [--json] [--data DIR]',
    options: {
      meeting: { type: 'string', description: 'instance : copil, cotech, plénière, groupe de travail…' },
      since: { type: 'string', description: 'réunions depuis cette date (AAAA, AAAA-MM ou AAAA-MM-JJ)' },
      fiche: { type: 'string', description: 'numéro de fiche action concernée' },
      json: { type: 'boolean', description: 'sortie JSON : [{id, kind, meeting, meetingTitle, date, decision, who, dueText, due, fiches, postponed, source, title, page, section}]' },
    },
    load: async () => (await import('./commands/decision-cmds.js')).runDecisions,
  },
  {
    name: 'bilan',
    summary: 'Bilan annuel des fiches actions (jalons, réponses des pilotes, indicateurs, décisions) : DOCX, CSV ou XLSX',
    usage: 'ptsm bilan <année> [--out bilan.docx|bilan.csv|bilan.xlsx] [--now ISO] [--json] [--data DIR]',
    options: {
      out: { type: 'string', description: 'fichier à écrire ; le format suit l\'extension (.docx, .csv, .xlsx)' },
      now: { type: 'string', description: 'instant de référence pour « en retard » (défaut : maintenant)' },
      json: { type: 'boolean', description: 'sortie JSON : {year, generatedAt, fiches, axes, missing}' },
    },
    load: async () => (await import('./commands/decision-cmds.js')).runBilan,
  },
  {
    name: 'serve',
    summary: 'Démarre le serveur : console web, et Slack / Teams quand ils sont configurés ; relances automatiques',
    usage: 'ptsm serve [--data DIR]   (PORT, HOST, SLACK_*, MICROSOFT_APP_* dans l’environnement)',
    options: {},
    territory: 'root',
    load: async () => (await import('./commands/serve-cmd.js')).runServe,
  },
  {
    name: 'territories',
    summary: 'Liste les territoires (PTSM) du dossier des données : documents et fiches de chacun',
    usage: 'ptsm territories [--json] [--data DIR]',
    options: { json: { type: 'boolean', description: 'sortie JSON : [{id, name, documents, fiches}]' } },
    territory: 'root',
    load: async () => (await import('./commands/territories-cmd.js')).runTerritories,
  },
];
