import type { SpeechErrorTexts, speechTexts as englishSpeechTexts } from '../en-US/speech.ts';
import type { ErrorText } from '../error-text.ts';
import { limitSeconds, number } from './common.ts';

export const speechErrorTexts: SpeechErrorTexts = {
  speechTextEmpty: (): ErrorText => ({
    title: '没有要说的内容',
    description: '文本为空或只有空格。没有发送任何请求。',
    hint: '请写下要让这个音色说的话。',
  }),
  speechTextTooLong: (p: { characters: number; maxCharacters: number }): ErrorText => ({
    title: '文本太长',
    description: `文本有 ${number(p.characters)} 个字符，上限为 ${number(p.maxCharacters)} 个。没有发送任何请求。`,
    hint: '请缩短文本，或分几次来说。',
  }),
  speechWouldNotFit: (p: { estimatedSeconds: number; maxSeconds: number }): ErrorText => ({
    title: '语音可能太长，无法发送',
    description: `按这个语速并加上停顿，这段文本最长可能持续 ${limitSeconds(p.estimatedSeconds)}；这里一个附件最多只能容纳 ${limitSeconds(p.maxSeconds)}。没有发送任何请求。`,
    hint: '请缩短文本或其中的 `<#…#>` 停顿，或者调快语速。',
  }),
  speechQuotaExceeded: (p: {
    used: number;
    limit: number;
    requested: number;
    retryAt: string | undefined;
  }): ErrorText => ({
    title: '已达到每日语音字符上限',
    description: `过去 24 小时内你已使用 ${number(p.used)} 个语音字符，上限为 ${number(p.limit)} 个；这段文本最多需要 ${number(p.requested)} 个。没有发送任何请求。`,
    hint:
      p.retryAt === undefined
        ? '这段文本超过了整个每日上限：请分几次来说。'
        : `额度将在 ${p.retryAt}恢复足够；或者换一段更短的文本。`,
  }),
  voicePrivate: (p: { voiceId: string; ownerName: string }): ErrorText => ({
    title: '这个音色是私有的',
    description: `\`${p.voiceId}\` 是 ${p.ownerName} 私下克隆的，只有本人可以使用。`,
    hint: '请从列表中选择其他音色。',
  }),
  voiceNotFound: (): ErrorText => ({
    title: '找不到这个音色',
    description: '这个按钮对应的音色已不在机器人的记录中。',
    hint: '请使用 `/say` 并从列表中选择音色。',
  }),
  voiceAccessDenied: (): ErrorText => ({
    title: 'MiniMax 中此账户没有这个音色',
    description:
      'MiniMax 提示此账户无法使用该 `voice_id`（状态码 2042）：可能拼写有误、属于其他账户，或因 7 天未使用已被删除。',
    hint: '请从列表中选择音色，或检查 `voice_id`。',
  }),
  textSensitive: (): ErrorText => ({
    title: 'MiniMax 拒绝了这段文本',
    description: 'MiniMax 的内容审核认为文本含有敏感内容（状态码 1026），没有计费。',
    hint: '请修改文本后再试。',
  }),
  invisibleCharacters: (): ErrorText => ({
    title: '不可见字符太多',
    description: 'MiniMax 拒绝了文本，因为其中不可见字符太多（状态码 1042），复制来的文本常带有这类字符。',
    hint: '请重新输入文本，或以纯文本形式粘贴。',
  }),
};

export const speechTexts: typeof englishSpeechTexts = {
  say: {
    lateResult: (member: string) => `${member}，语音已生成，但已无法编辑对你命令的回复，因此结果发在这里。`,
    queued: (position: number) =>
      `团队密钥的语音合成请求已达到速率上限。你排在第 ${position} 位，轮到时会自动开始。`,
    speaking: (voiceId: string) => `正在用 \`${voiceId}\` 合成语音…`,
    title: '语音已生成',
    voice: '音色',
    duration: '时长',
    billed: '计费字符',
    billedValue: (p: { billed: number; usedToday: number; limit: number }) =>
      `${number(p.billed)}（24 小时内已用 ${number(p.usedToday)} / ${number(p.limit)}）`,
    firstUse: '这是这个音色的第一次语音合成：MiniMax 现在收取了克隆费用，此后音色会被永久保留。',
    saidBy: (name: string) => `请求者：${name}`,
    modalTitle: '说点什么',
    modalText: '要让这个音色说的话',
  },
};
