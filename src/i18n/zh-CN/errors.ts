import type { Purpose } from '../../domain/purposes.ts';
import type { ErrorTexts } from '../en-US/errors.ts';
import type { ErrorText } from '../error-text.ts';
import type { StructureLimitName } from '../../pipeline/errors.ts';
import type { NotAudioKind } from '../../pipeline/not-audio.ts';
import { formatMeasuredSecondsIn, ZH_DURATION_UNITS } from '../format.ts';
import { askOperator, bytes, limitSeconds, number, retrySoon } from './common.ts';
import { convertTexts } from './convert.ts';

const seconds = (value: number): string => formatMeasuredSecondsIn(value, undefined, ZH_DURATION_UNITS);

const notAudioNames: Readonly<Record<Exclude<NotAudioKind, 'video_without_audio'>, string>> = {
  jpeg: ' JPEG 图片',
  png: ' PNG 图片',
  gif: ' GIF 图片',
  webp: ' WebP 图片',
  heif: ' HEIF/HEIC 或 AVIF 图片',
  pdf: ' PDF 文档',
  zip: ' ZIP 压缩包',
  docx: ' Word 文档',
  xlsx: ' Excel 工作簿',
  pptx: ' PowerPoint 演示文稿',
  opendocument: ' OpenDocument 文档',
};

const structureNames: Readonly<Record<StructureLimitName, string>> = {
  mp4_box_depth: ' MP4 box 的嵌套深度',
  mp4_box_count: ' MP4 box 的数量',
  id3_frame_count: ' ID3 标签帧的数量',
  ape_item_count: ' APE 标签项的数量',
  riff_chunk_count: ' RIFF 块的数量',
};

export const errorTexts: ErrorTexts = {
  declaredSizeTooLarge: (p: { fileName: string; bytes: number; maxBytes: number }): ErrorText => ({
    title: '文件过大',
    description: `**${p.fileName}** 的大小为 ${bytes(p.bytes)}，超过了 ${bytes(p.maxBytes)} 的上限。`,
    hint: '请剪短录音，或导出为单声道 MP3 或 Ogg（5 分钟、128 kbps 约为 4.6 MiB），然后重新上传。',
  }),
  downloadTooLarge: (p: { fileName: string; receivedBytes: number; maxBytes: number }): ErrorText => ({
    title: '文件过大',
    description: `下载 **${p.fileName}** 时超过了 ${bytes(p.maxBytes)} 的上限（停在 ${bytes(p.receivedBytes)}），尽管 Discord 声明的大小更小。`,
    hint: '请剪短录音或以更低的码率导出，然后重新上传。',
  }),
  // Takes only the host: the allowed source is named here, so no English reaches a Chinese reply.
  hostNotAllowed: (p: { host: string }): ErrorText => ({
    title: '附件来源不被允许',
    description: `该附件来自 \`${p.host}\`，不在允许的来源之列（仅限 Discord 附件）。`,
    hint: '请直接在 Discord 中以附件形式发送文件，不要使用其他网站的链接。',
  }),
  insecureUrl: (p: { host: string }): ErrorText => ({
    title: '附件链接被拒绝',
    description: `指向 \`${p.host}\` 的附件链接不是 https 链接。`,
    hint: '请直接在 Discord 中以附件形式发送文件。',
  }),
  invalidUrl: (): ErrorText => ({
    title: '附件链接被拒绝',
    description: '附件链接不是有效的 URL。',
    hint: '请重新发送附件。',
  }),
  downloadStatus: (p: { fileName: string; status: number }): ErrorText => ({
    title: '下载失败',
    description: `下载 **${p.fileName}** 时，Discord 的 CDN 返回了 HTTP ${p.status}。`,
    hint:
      p.status === 404 || p.status === 403 || p.status === 410
        ? '附件已被删除或链接已过期：请重新发送附件。'
        : retrySoon,
  }),
  downloadTimeout: (p: { fileName: string; timeoutMs: number; receivedBytes: number }): ErrorText => ({
    title: '下载超时',
    description: `下载 **${p.fileName}** 用时超过 ${limitSeconds(p.timeoutMs / 1000)}（已接收 ${bytes(p.receivedBytes)}）。`,
    hint: retrySoon,
  }),
  downloadFailed: (p: { fileName: string }): ErrorText => ({
    title: '下载失败',
    description: `由于网络错误，无法从 Discord 下载 **${p.fileName}**。`,
    hint: retrySoon,
  }),
  empty: (p: { fileName: string }): ErrorText => ({
    title: '文件为空',
    description: `**${p.fileName}** 是空文件（0 字节）。`,
    hint: '请重新导出录音，并发送新文件。',
  }),
  unsupportedFormat: (p: { fileName: string; detected: string | undefined }): ErrorText => ({
    title: '不支持的音频格式',
    description: p.detected
      ? `**${p.fileName}** 是 ${p.detected} 格式，本机器人无法处理。`
      : `**${p.fileName}** 不是本机器人能读取的音频。`,
    hint: `支持的格式：${convertTexts.acceptedFormats}。请将其转换为其中一种（例如 \`ffmpeg -i input output.mp3\`）；仅修改文件扩展名不会改变其格式。`,
  }),
  truncated: (p): ErrorText => ({
    title: '文件不完整',
    description: `**${p.fileName}** 是 ${p.format.toUpperCase()} 文件，但在文件头所描述的音频结束之前就中断了${
      p.lengths
        ? `：文件头声明 ${seconds(p.lengths.claimedSeconds)}，实际只有 ${seconds(p.lengths.foundSeconds)}`
        : ''
    }。`,
    hint: '请重新完整地导出或下载录音，然后再发送。',
  }),
  lengthMismatch: (p): ErrorText => ({
    title: '文件已损坏',
    description: `**${p.fileName}**（${p.format.toUpperCase()}）${
      p.lengths
        ? `按文件头或文件大小应有 ${seconds(p.lengths.claimedSeconds)}的音频，实际只有 ${seconds(p.lengths.foundSeconds)}`
        : '实际包含的音频远少于文件头或文件大小所声明的长度'
    }。`,
    hint: '请确认它能完整播放，重新导出后发送新文件。',
  }),
  unreadable: (p: { fileName: string; format: string }): ErrorText => ({
    title: '文件已损坏',
    description: `**${p.fileName}** 看起来是 ${p.format.toUpperCase()} 文件，但无法读取。`,
    hint: '请确认它能正常播放，重新导出后发送新文件。',
  }),
  notAudio: (p): ErrorText =>
    p.what === 'video_without_audio'
      ? {
          title: '视频中没有声音',
          description: `**${p.fileName}** 是没有音轨的视频，其中没有可用的人声。`,
          hint: '请打开麦克风重新录制，或直接发送录音文件。',
        }
      : {
          title: '不是音频文件',
          description: `**${p.fileName}** 是${notAudioNames[p.what]}，不是音频。`,
          hint: '请发送录音文件本身。修改文件名不会改变文件的实际格式。',
        },
  tooComplex: (p): ErrorText => ({
    title: '文件格式异常或过于复杂，无法读取',
    description: `**${p.fileName}**：此文件格式异常或过于复杂，无法读取。${
      p.structure
        ? `其中${structureNames[p.structure.what]}为 ${number(p.structure.found)}${p.structure.found > p.structure.limit ? ' 或更多' : ''}，上限为 ${number(p.structure.limit)}。`
        : p.reason === 'timeout' && p.timeoutMs !== undefined
          ? `读取用时超过了 ${limitSeconds(p.timeoutMs / 1000)}的上限。`
          : '读取它所需的内存超过了机器人对单个文件的上限。'
    }`,
    hint: '请用你的音频软件重新导出（普通的 MP3、M4A 或 WAV），然后发送新文件。',
  }),
  noDuration: (p: { fileName: string; format: string }): ErrorText => ({
    title: '无法确定时长',
    description: `无法测出 **${p.fileName}**（${p.format.toUpperCase()}）的时长。`,
    hint: '请重新导出为 WAV 或 MP3，并发送新文件。',
  }),
  durationOutOfRange: (p: {
    fileName: string;
    purpose: Purpose;
    measured: string;
    rule: string;
    tooShort: boolean;
  }): ErrorText => ({
    title: p.tooShort ? '音频太短' : '音频太长',
    description: `**${p.fileName}** 的时长为 ${p.measured}，不符合 ${p.purpose} 的要求（${p.rule}）。`,
    hint: p.tooShort
      ? '请多录一些语音，或把几段录音拼接起来，然后重新上传。'
      : '请剪辑到符合要求的时长，然后重新上传。',
  }),
  guildOnly: (): ErrorText => ({
    title: '仅限服务器内使用',
    description: '此命令只能在服务器频道中使用，不能在私信中使用。',
    hint: '请在机器人所在服务器的频道中运行此命令。',
  }),
  searchExpired: (): ErrorText => ({
    title: '列表已过期',
    description: '此列表的搜索条件已不再保存：列表在最后一次使用 30 天后删除。',
    hint: '请用相同的筛选条件重新运行 `/uploads`。',
  }),
  unknownCommand: (p: { name: string }): ErrorText => ({
    title: '未知命令',
    description: `本机器人没有名为 \`${p.name}\` 的命令，其命令列表已过期。`,
    hint: askOperator('npm run register'),
  }),
  shuttingDown: (): ErrorText => ({
    title: '机器人正在重启',
    description: '机器人正在重启，暂时不接受新的上传。',
    hint: '请一分钟后再试。',
  }),
  queueFull: (p: { waiting: number }): ErrorText => ({
    title: '上传队列已满',
    description: `已有 ${p.waiting} 个上传在排队等待空闲通道，达到队列上限，因此本次上传没有排队，也没有消耗任何费用。`,
    hint: '请过几分钟后再次运行该命令。',
  }),
  startedTooLate: (p: { waited: string }): ErrorText => ({
    title: '上传未开始',
    description: `它等待空闲通道已有 ${p.waited}。Discord 只允许机器人在命令发出后 15 分钟内回复，而这次上传已无法在剩余时间内完成，因此没有开始，也没有消耗任何费用。`,
    hint: '请再次运行该命令。',
  }),
  notStartedByShutdown: (): ErrorText => ({
    title: '机器人正在重启',
    description: '机器人正在重启，这次仍在排队的请求没有开始，也没有消耗任何费用。',
    hint: '请一分钟后再次运行该命令。',
  }),
  cutOffByShutdown: (): ErrorText => ({
    title: '上传被中断',
    description: '机器人在此次上传完成前重启了，因此没有拿到 file_id。',
    hint: '请重新上传文件。',
  }),
  accessDirectMessage: (): ErrorText => ({
    title: '仅限服务器',
    description: '此机器人只能在服务器频道中使用，不能在私信中使用。',
    hint: '请在机器人所在服务器的频道中运行该命令。',
  }),
  accessGuild: (): ErrorText => ({
    title: '此服务器未启用',
    description: '机器人的管理员未允许本服务器使用团队的密钥上传。',
    hint: '请联系机器人的管理员，将本服务器加入 `ALLOWED_GUILD_IDS`。',
  }),
  accessRole: (): ErrorText => ({
    title: '缺少身份组',
    description: '只有拥有指定身份组的成员才能使用团队的密钥上传，而你没有其中任何一个。',
    hint: '请向服务器管理员申请相应身份组，或请机器人的管理员检查 `ALLOWED_ROLE_IDS`。',
  }),
  cooldown: (p: { retryAt: string }): ErrorText => ({
    title: '请稍候',
    description: '你刚刚开始过一次上传；每位成员两次上传之间需要稍等片刻。',
    hint: `你可以在 ${p.retryAt} 再次上传。`,
  }),
  dailyLimit: (p: { limit: number; running: number; retryAt: string }): ErrorText => ({
    title: '已达到每日上传上限',
    description:
      p.running === 0
        ? `你在过去 24 小时内已上传 ${p.limit} 个样本，达到了每位成员的上限。`
        : `你在过去 24 小时内的上传（其中 ${p.running} 个仍在进行中）已达到每位成员 ${p.limit} 个的上限。`,
    hint:
      p.running === 0
        ? `你可以在 ${p.retryAt} 再次上传。`
        : `如果仍在进行中的上传有失败的，你可以立即再次上传；否则请在 ${p.retryAt} 再试。`,
  }),
  alreadyUploaded: (p: {
    fileName: string;
    purpose: string;
    uploader: string;
    when: string;
    fileId: string;
  }): ErrorText => ({
    title: '已上传过',
    description: `完全相同的音频已由 **${p.uploader}** 于 ${p.when} 在本服务器以 \`${p.purpose}\` 上传，因此没有再次消耗密钥。它的 file_id：\n\`\`\`\n${p.fileId}\n\`\`\``,
    hint: '请直接使用这个 file_id。如仍要重新上传，请在 `/upload` 中设置 `force: True`。',
  }),
  uploadedPrivatelyBefore: (): ErrorText => ({
    title: '已被私下上传过',
    description:
      '另一位成员已在本服务器以相同用途上传过完全相同的音频，并选择仅自己可见，因此没有再次消耗密钥。',
    hint: '请向对方索取 file_id，或在 `/upload` 中设置 `force: True` 上传你自己的副本。',
  }),
  noAudioAttachment: (p: { count: number }): ErrorText => ({
    title: '没有可上传的音频',
    description: p.count === 0 ? '该消息没有任何附件。' : `该消息的 ${p.count} 个附件中没有音频文件。`,
    hint: `请在语音消息或带有录音附件的消息上使用“上传语音样本”（支持：${convertTexts.acceptedFormats}）。`,
  }),
  internal: (p: { reference: string }): ErrorText => ({
    title: '出错了',
    description: `机器人遇到了意外错误（参考编号 \`${p.reference}\`）。`,
    hint: '请重试；如果问题持续出现，请告知机器人的管理员，并提供上面的参考编号。',
  }),
};
