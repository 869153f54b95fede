import type { VoiceIdRule } from '../../domain/voice-id.ts';
import type { PreviewFailure } from '../../pipeline/errors.ts';
import type { CloneErrorTexts, cloneTexts as englishCloneTexts } from '../en-US/clone.ts';
import type { ErrorText } from '../error-text.ts';
import { askOperator } from './common.ts';

const voiceIdRules: Readonly<Record<VoiceIdRule, string>> = {
  length: '长度必须为 8 至 256 个字符',
  first_character: '必须以英文字母（A–Z 或 a–z）开头',
  characters: '只能包含英文字母、数字、`-` 和 `_`',
  last_character: '不能以 `-` 或 `_` 结尾',
};

const previewFailures = (status: number | undefined): Readonly<Record<PreviewFailure, string>> => ({
  invalid_url: 'MiniMax 给出的链接不是有效的 URL',
  host_not_allowed: '链接指向的主机不在允许的音频主机列表中',
  insecure_protocol: '链接不是 https',
  http_status: `主机返回了 HTTP ${status ?? '?'}`,
  too_large: '文件超过了附件大小上限',
  timeout: '主机未及时响应',
  network: '网络错误导致下载中断',
  not_mp3: '下载到的内容不是 mp3',
});

const pickAnother = (suggestion: string | undefined) =>
  suggestion === undefined ? '请换一个 `voice_id`。' : `请换一个，例如 \`${suggestion}\`。`;

export const cloneErrorTexts: CloneErrorTexts = {
  voiceIdInvalid: (p: { voiceId: string; rule: VoiceIdRule; suggestion: string | undefined }): ErrorText => ({
    title: '这个 `voice_id` 不能使用',
    description: `MiniMax 会拒绝 \`voice_id\` ${p.voiceId}：${voiceIdRules[p.rule]}。没有发送任何请求。`,
    hint: pickAnother(p.suggestion),
  }),
  voiceIdTaken: (p: { voiceId: string; suggestion: string | undefined; byMinimax: boolean }): ErrorText => ({
    title: '这个 `voice_id` 已被占用',
    description: p.byMinimax
      ? `MiniMax 中已经有名为 \`${p.voiceId}\` 的音色（状态码 2039）。每个 \`voice_id\` 只能使用一次，即使对应的音色已被删除。`
      : `本机器人已经克隆过名为 \`${p.voiceId}\` 的音色，MiniMax 会拒绝重复的名称。没有发送任何请求。`,
    hint: pickAnother(p.suggestion),
  }),
  sampleOrVoiceIdInvalid: (): ErrorText => ({
    title: 'MiniMax 拒绝了音频样本或 `voice_id`',
    description:
      'MiniMax 提示音频样本或 `voice_id` 无效（状态码 20132）：该 file_id 可能不属于此账户，或不是用于克隆（`voice_clone`）的上传。',
    hint: '请从列表中选择音频样本（用于克隆的上传），不要手动输入编号，并检查 `voice_id`。',
  }),
  speechTextMismatch: (): ErrorText => ({
    title: 'MiniMax 无法将录音与文字对应',
    description: 'MiniMax 检查录音中的语音与文字是否一致时未通过（状态码 1043）。',
    hint: '请使用只有一位说话人、没有背景音乐的清晰录音后再试。',
  }),
  promptTextMismatch: (): ErrorText => ({
    title: '示例音频的内容与示例文本不符',
    description: 'MiniMax 发现示例音频所说的内容与 `prompt_text` 不一致（状态码 1044）。',
    hint: '请逐字填写示例音频中说的话，或者不使用示例音频进行克隆。',
  }),
  sampleSensitive: (): ErrorText => ({
    title: 'MiniMax 拒绝了音频样本',
    description: 'MiniMax 的内容审核认为音频样本含有敏感内容（状态码 1026），没有进行克隆。',
    hint: '请换一段录音。',
  }),
  cloningNotEnabled: (): ErrorText => ({
    title: '此账户未开通声音克隆',
    description: 'MiniMax 提示 DMXAPI/MiniMax 账户未开通声音克隆功能（状态码 2038）。',
    hint: '账户所有者需完成实名认证才能开通克隆功能，在此之前任何克隆都无法成功。',
  }),
  promptTooLong: (): ErrorText => ({
    title: '示例音频太长',
    description: 'MiniMax 拒绝了示例音频，因为它长于或等于 8 秒（状态码 2048）。',
    hint: '请上传短于 8 秒的示例音频，或者不使用示例音频进行克隆。',
  }),
  sampleDuration: (): ErrorText => ({
    title: '音频样本太短或太长',
    description: 'MiniMax 拒绝了音频样本：需要 10 秒至 5 分钟的语音（状态码 2037）。',
    hint: '请上传一段 10 秒至 5 分钟的录音，再用它进行克隆。',
  }),
  invalidRequestValue: (p: { field: string }): ErrorText => ({
    title: 'DMXAPI 无法接受的值',
    description: `\`${p.field}\` 不是 DMXAPI 接受的值（file_id 必须是 64 位以内的数字）。没有发送任何请求。`,
    hint: '请从命令提供的列表中选择。',
  }),
  cloneNotAllowed: (p: { uploaderName: string | undefined; which: 'sample' | 'prompt' }): ErrorText => {
    const what = p.which === 'sample' ? '音频样本' : '示例音频';
    if (p.uploaderName === undefined) {
      return {
        title: '只有服务器管理员才能用这个文件克隆',
        description: `这段${what}不是通过机器人上传的，无法确认是谁的声音：只有拥有“管理服务器”权限的成员，才能用在别处上传的文件克隆。`,
        hint: '请先在这里上传录音，或请服务器管理员来克隆。',
      };
    }
    return {
      title: '只有上传者才能克隆这个声音',
      description: `声音属于说话的人：只有上传这段${what}的 ${p.uploaderName}，或拥有“管理服务器”权限的成员，才能用它克隆。`,
      hint: `请让 ${p.uploaderName} 或服务器管理员来克隆。`,
    };
  },
  wrongSamplePurpose: (p: { fileId: string; expected: string; actual: string }): ErrorText => ({
    title: p.expected === 'voice_clone' ? '这个上传不是音频样本' : '这个上传不是示例音频',
    description: `文件 \`${p.fileId}\` 的用途是 \`${p.actual}\`，这里需要 \`${p.expected}\` 用途的上传。没有发送任何请求。`,
    hint: '请从列表中选择，列表只显示用途正确的上传。',
  }),
  promptIncomplete: (p: { missing: 'prompt' | 'prompt_text' }): ErrorText => ({
    title: '示例音频需要同时提供文本',
    description:
      p.missing === 'prompt_text'
        ? '提供了示例音频，但没有提供 `prompt_text`（即示例音频中说的原话）。没有发送任何请求。'
        : '提供了 `prompt_text`，但没有提供示例音频。没有发送任何请求。',
    hint: '请同时提供 `prompt` 和 `prompt_text`，或者都不提供。',
  }),
  previewFailed: (p: { voiceId: string; reason: PreviewFailure; status: number | undefined }): ErrorText => ({
    title: '音色已创建，但无法获取试听音频',
    description: `音色 \`${p.voiceId}\` 已经存在。试听音频没有下载成功：${previewFailures(p.status)[p.reason]}。`,
    hint:
      p.reason === 'host_not_allowed'
        ? `请用 \`/say\` 试听这个音色。${askOperator('DMXAPI_AUDIO_HOSTS')}`
        : '请用 `/say` 加上这个 `voice_id` 来试听（这也能防止它被删除）。',
  }),
};

export const cloneTexts: typeof englishCloneTexts = {
  clone: {
    lateResult: (member: string) => `${member}，音色已克隆，但已无法编辑对你命令的回复，因此结果发在这里。`,
    queued: (position: number) =>
      `团队密钥的克隆请求已达到速率上限。你排在第 ${position} 位，轮到时会自动开始。`,
    cloning: (voiceId: string) => `正在克隆 \`${voiceId}\`…`,
    title: '音色已克隆',
    description: (voiceId: string) => `新的 \`voice_id\`，可直接用于 \`/say\`：\n\`\`\`\n${voiceId}\n\`\`\``,
    sample: '音频样本',
    sampleValue: (p: { fileName: string; duration: string; link: string | undefined }) =>
      `${p.fileName} · ${p.duration}${p.link === undefined ? '' : ` · ${p.link}`}`,
    sampleTyped: (fileId: string) => `\`file_id\` \`${fileId}\`（不是通过本机器人上传的）`,
    jump: '消息',
    prompt: '示例音频',
    promptUsed: (fileName: string) => `${fileName}，附带其文本`,
    promptNone: '无',
    preview: '试听',
    previewAttached: '已附在下方，可直接播放。',
    previewNone: 'MiniMax 没有为这个音色生成试听音频。请用 `/say` 来试听。',
    lifetime: '保留期限',
    lifetimeValue: (p: { deadline: string; relative: string }) =>
      `${p.deadline}（${p.relative}），除非在此之前使用：MiniMax 会删除 7 天内未用于语音合成的音色。`,
    fee: '克隆费用',
    feeValue: 'MiniMax 在第一次用这个音色合成语音（`/say`）时收取克隆费用，之后音色会被永久保留。',
    sensitive: 'MiniMax 的内容审核标记了这段音频样本，但音色仍然已创建。',
    notRecorded: '音色已经存在，但机器人未能把它写入记录：请记下它的 `voice_id`。',
    clonedBy: (name: string) => `克隆者：${name}`,
    cloneButton: '克隆这个声音',
    sayButton: '说点什么',
    modalTitle: '克隆这个声音',
    modalVoiceId: '新音色的 voice_id',
    modalVoiceIdHint: '8 至 256 个字母、数字、- 或 _，以字母开头',
  },
};
