import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';
import type { HistoryViewer } from '../history/upload-history.ts';

interface MemberInteraction {
  readonly user: { readonly id: string };
  readonly memberPermissions: Readonly<PermissionsBitField> | null;
}

/** Manage Server: the members who answer for the shared key, and so may see and use every upload. */
export function managesServer(interaction: Pick<MemberInteraction, 'memberPermissions'>): boolean {
  return interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

/**
 * Who is looking. A private upload is shown to its uploader and to members who may manage the
 * server, never to anyone else. Read from each interaction (a button's included), so it is the
 * member who clicks or types that counts.
 */
export function viewerOf(interaction: MemberInteraction): HistoryViewer {
  return { userId: interaction.user.id, seesPrivate: managesServer(interaction) };
}
