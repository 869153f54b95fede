import type { DurationLimit } from '../domain/limits.ts';
import type { Purpose } from '../domain/purposes.ts';
import type { Catalogue, ErrorText } from './en-US.ts';
import { formatBytesIn, formatLimitSecondsIn, formatMeasuredSecondsIn, ZH_DURATION_UNITS } from './format.ts';

/** Sizes, durations and numbers as a Chinese reader expects them: "512 字节", "7.4 秒", "10 秒至 5 分钟". */
const bytes = (n: number): string => formatBytesIn(n, '字节');
const limitSeconds = (seconds: number): string => formatLimitSecondsIn(seconds, ZH_DURATION_UNITS);
const number = (n: number): string => n.toLocaleString('zh-CN');

const durationRule = (limit: DurationLimit): string => {
  const max = limitSeconds(limit.maxSeconds);
  if (limit.maxExclusive) {
    return limit.minSeconds > 0 ? `至少 ${limitSeconds(limit.minSeconds)}，且短于 ${max}` : `短于 ${max}`;
  }
  return limit.minSeconds > 0 ? `${limitSeconds(limit.minSeconds)}至 ${max}` : `不超过 ${max}`;
};

const askOperator = (setting: string): string =>
  `这是机器人的配置问题，与你的文件无关：请联系机器人的管理员检查 \`${setting}\`。`;

const retrySoon = '请稍后再试。';
const retryOrTell = '请稍后再试；如果问题持续出现，请告知机器人的管理员。';
const checkFileOrTell = '请检查文件后再试；如果问题持续出现，请告知机器人的管理员。';
const mayBeStored = '请稍后再试。文件可能已经保存成功，重新上传不会有任何损失。';

interface Meaning {
  readonly meaning: string;
  readonly hint: string;
}

/**
 * MiniMax's `base_resp.status_code`, from shared/reference/dmxapi.md: the same codes as the English
 * table in en-US.ts (test/i18n.test.ts checks that both know exactly the same codes).
 */
const serviceCodes: Readonly<Record<number, Meaning>> = {
  1000: {
    meaning: 'MiniMax 报告了未知错误（音频文件无效时会出现此错误）',
    hint: '请确认文件能正常播放，重新导出为 MP3 或 WAV 后再试。',
  },
  1001: { meaning: 'MiniMax 处理超时', hint: retrySoon },
  1002: { meaning: 'MiniMax 正在对此账户限流', hint: '请等待一分钟后再试。' },
  1004: { meaning: 'MiniMax 鉴权失败', hint: askOperator('DMXAPI_API_KEY') },
  1008: { meaning: 'DMXAPI 账户余额不足', hint: '请联系 DMXAPI 账户的负责人充值。' },
  1024: { meaning: 'MiniMax 内部错误', hint: retrySoon },
  1026: { meaning: 'MiniMax 检测到输入中含有敏感内容', hint: '请换一段录音。' },
  1033: { meaning: 'MiniMax 系统或下游服务出错', hint: retrySoon },
  1039: { meaning: 'MiniMax 的 Token 用量已达上限', hint: '请过一段时间再试。' },
  1041: { meaning: 'MiniMax 的连接数已达上限', hint: '请稍等片刻再试。' },
  2013: { meaning: 'MiniMax 提示请求参数无效', hint: checkFileOrTell },
  2037: {
    meaning: 'MiniMax 提示音频时长过短或过长（要求 10 秒至 5 分钟）',
    hint: '请将录音剪辑或补录到 10 秒至 5 分钟，然后重新上传。',
  },
  2038: {
    meaning: 'DMXAPI/MiniMax 账户未开通声音克隆功能',
    hint: '账户所有者需完成实名认证才能开通克隆功能。',
  },
  2048: {
    meaning: 'MiniMax 提示示例音频过长（必须短于 8 秒）',
    hint: '请将示例音频剪辑到短于 8 秒。',
  },
  2049: { meaning: 'MiniMax 提示 API 密钥无效', hint: askOperator('DMXAPI_API_KEY') },
};

/**
 * The gateway's HTTP statuses, from shared/reference/dmxapi.md: the same statuses as the English
 * table in en-US.ts (test/i18n.test.ts checks that both know exactly the same statuses).
 */
const httpStatuses: Readonly<Record<number, Meaning>> = {
  400: { meaning: 'DMXAPI 认为请求无效，拒绝了它', hint: checkFileOrTell },
  401: {
    meaning: 'DMXAPI 拒绝了机器人的 API 密钥（常见原因是用了另一个 DMXAPI 站点的密钥）',
    hint: askOperator('DMXAPI_API_KEY'),
  },
  403: {
    meaning: 'DMXAPI 拒绝了机器人的密钥：额度已用完、余额不足或密钥已被禁用',
    hint: '请联系 DMXAPI 账户的负责人充值或检查密钥。',
  },
  404: { meaning: 'DMXAPI 不存在该接口，说明基础 URL 配置有误', hint: askOperator('DMXAPI_BASE_URL') },
  413: { meaning: 'DMXAPI 提示请求体过大', hint: '请发送更小的文件：更短、单声道或更低码率。' },
  429: { meaning: 'DMXAPI 正在对请求限流', hint: '请等待一分钟后再试。' },
  500: { meaning: 'DMXAPI 服务器出错', hint: retrySoon },
  502: { meaning: 'DMXAPI 无法连接到 MiniMax（网关错误）', hint: retrySoon },
  503: { meaning: '机器人的密钥无权使用上传模型，或模型名称有误', hint: askOperator('DMXAPI_MODEL') },
  504: { meaning: 'DMXAPI 等待 MiniMax 响应超时', hint: mayBeStored },
  524: { meaning: 'DMXAPI 等待 MiniMax 响应超时', hint: mayBeStored },
};

export const zhCN: Catalogue = {
  purposes: {
    voice_clone: '待克隆音频',
    prompt_audio: '示例音频',
  } satisfies Record<Purpose, string>,

  progress: {
    title: '正在上传声音样本',
    queued: (position: number) =>
      `上传通道已全部占用。你排在队列第 ${number(position)} 位，轮到时会自动开始。`,
    downloading: (received: number, total: number | undefined) =>
      total && total > 0
        ? `正在下载…… ${bytes(received)} / ${bytes(total)}（${Math.min(100, Math.floor((received / total) * 100))}%）`
        : `正在下载…… ${bytes(received)}`,
    checking: (size: number) => `正在检查音频（${bytes(size)}）……`,
    uploading: (size: number) => `正在上传到 DMXAPI（${bytes(size)}）……`,
  },

  success: {
    title: '声音样本已上传',
    description: (purposeName: string) => `请复制下方的 file_id，在克隆步骤中它代表这段${purposeName}。`,
    fileId: 'file_id',
    purpose: '用途',
    file: '文件',
    size: '大小',
    created: '创建时间',
    audio: '音频',
    usage: 'Token 用量',
    sizeValue: (size: number) => `${bytes(size)}（${number(size)} 字节）`,
    audioValue: (a: { format: string; duration: string; sampleRate?: number; channels?: number }) =>
      [
        a.format.toUpperCase(),
        a.duration,
        a.sampleRate ? `${number(a.sampleRate)} Hz` : undefined,
        a.channels
          ? a.channels === 1
            ? '单声道'
            : a.channels === 2
              ? '立体声'
              : `${number(a.channels)} 声道`
          : undefined,
      ]
        .filter(Boolean)
        .join(' · '),
    usageValue: (u: { total: string; input: string; output: string }) =>
      `共 ${u.total} · 输入 ${u.input} · 输出 ${u.output}`,
    uploadedBy: (user: string) => `由 ${user} 上传`,
  },

  history: {
    title: '已上传的语音样本',
    empty: '没有符合条件的上传记录。可以用 `/upload` 上传。',
    footer: (page: number, pages: number, total: number) =>
      `第 ${page} / ${pages} 页 · 共 ${total.toLocaleString('zh-CN')} 条上传记录`,
    by: (name: string) => `上传者：${name}`,
    jump: '消息',
    previous: '上一页',
    next: '下一页',
    earlierMessage: '发布位置',
  },

  messagePrompt: {
    title: '上传语音样本',
    description: (fileName: string, count: number) =>
      count > 1
        ? `上传 **${fileName}**？如需上传其他文件，请在下方 ${count} 个音频文件中选择，然后选择用途。`
        : `上传 **${fileName}**？请选择用途。`,
    pick: '选择附件',
    purposeButton: { voice_clone: '待克隆音频', prompt_audio: '示例音频（短于 8 秒）' },
    expired: '此提示已过期。请在该消息上再次使用“上传语音样本”。',
    postedReply: '完成：file_id 已作为对样本消息的回复发布。',
    postedHere: '完成：机器人无法回复该消息，因此 file_id 已发布在此频道中。',
  },

  errorFields: {
    whatToDo: '解决办法',
    serviceSaid: 'DMXAPI 返回的信息',
    requestId: '请求 ID',
    attempts: '尝试次数',
  },

  duration: {
    measured: (seconds: number, limit?: DurationLimit) =>
      formatMeasuredSecondsIn(seconds, limit, ZH_DURATION_UNITS),
    rule: durationRule,
  },

  errors: {
    declaredSizeTooLarge: (p: { fileName: string; bytes: number; maxBytes: number }): ErrorText => ({
      title: '文件过大',
      description: `**${p.fileName}** 的大小为 ${bytes(p.bytes)}，超过了 ${bytes(p.maxBytes)} 的上限。`,
      hint: '请剪短录音，或导出为单声道 MP3（5 分钟、128 kbps 约为 4.6 MiB），然后重新上传。',
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
        ? `**${p.fileName}** 是 ${p.detected} 格式，不是 MP3、M4A 或 WAV。`
        : `**${p.fileName}** 不是本机器人能读取的音频：其内容不是 MP3、M4A 或 WAV。`,
      hint: '请将其转换为 MP3、M4A 或 WAV（例如 `ffmpeg -i input output.mp3`）。仅修改文件扩展名不会改变其格式。',
    }),
    truncated: (p: { fileName: string; format: string }): ErrorText => ({
      title: '文件不完整',
      description: `**${p.fileName}** 是 ${p.format.toUpperCase()} 文件，但在文件头所描述的音频结束之前就中断了。`,
      hint: '请重新完整地导出或下载录音，然后再发送。',
    }),
    unreadable: (p: { fileName: string; format: string }): ErrorText => ({
      title: '文件已损坏',
      description: `**${p.fileName}** 看起来是 ${p.format.toUpperCase()} 文件，但无法读取。`,
      hint: '请确认它能正常播放，重新导出后发送新文件。',
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
    dmxapiHttp: (p: { status: number }): ErrorText => {
      const known = httpStatuses[p.status];
      return {
        title: 'DMXAPI 拒绝了上传',
        description: `${known?.meaning ?? 'DMXAPI 返回了错误'}（HTTP ${p.status}）。`,
        hint: known?.hint ?? retryOrTell,
      };
    },
    dmxapiService: (p: { statusCode: number }): ErrorText => {
      const known = serviceCodes[p.statusCode];
      return {
        title: 'MiniMax 拒绝了上传',
        description: `${known?.meaning ?? 'MiniMax 返回了错误'}（状态码 ${p.statusCode}）。`,
        hint: known?.hint ?? retryOrTell,
      };
    },
    dmxapiMalformed: (p: { status: number }): ErrorText => ({
      title: '无法解析 DMXAPI 的响应',
      description: `DMXAPI 返回了 HTTP ${p.status}，但内容不是其文档所述的 JSON，因此无法读取 file_id。`,
      hint: '请稍后再试；如果问题持续出现，可能是 DMXAPI 出现了故障。',
    }),
    dmxapiTimeout: (p: { timeoutMs: number }): ErrorText => ({
      title: 'DMXAPI 未及时响应',
      description: `DMXAPI 未能在 ${limitSeconds(p.timeoutMs / 1000)}内完成上传。`,
      hint: '请过几分钟再试。文件可能已经保存成功，重新上传只是多上传一次。',
    }),
    dmxapiRefused: (): ErrorText => ({
      title: '无法连接 DMXAPI',
      description: 'DMXAPI 拒绝了连接，因此没有上传任何内容。',
      hint: '请过几分钟再试。',
    }),
    dmxapiReset: (): ErrorText => ({
      title: '与 DMXAPI 的连接中断',
      description: '上传过程中与 DMXAPI 的连接被切断，无法确定文件是否已保存。',
      hint: '请重新上传，以获得可用的 file_id。',
    }),
    dmxapiDns: (): ErrorText => ({
      title: '无法连接 DMXAPI',
      description: '无法解析 DMXAPI 的主机名，因此没有上传任何内容。',
      hint: askOperator('DMXAPI_BASE_URL'),
    }),
    dmxapiNetwork: (): ErrorText => ({
      title: '无法连接 DMXAPI',
      description: '网络错误导致上传到 DMXAPI 的过程中断。',
      hint: '请过几分钟再试。',
    }),
    guildOnly: (): ErrorText => ({
      title: '仅限服务器内使用',
      description: '此命令只能在服务器频道中使用，不能在私信中使用。',
      hint: '请在机器人所在服务器的频道中运行此命令。',
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
    dailyLimit: (p: { limit: number; retryAt: string }): ErrorText => ({
      title: '已达到每日上传上限',
      description: `你在过去 24 小时内已上传 ${p.limit} 个样本，达到了每位成员的上限。`,
      hint: `你可以在 ${p.retryAt} 再次上传。`,
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
    noAudioAttachment: (p: { count: number }): ErrorText => ({
      title: '没有可上传的音频',
      description: p.count === 0 ? '该消息没有任何附件。' : `该消息的 ${p.count} 个附件中没有音频文件。`,
      hint: '请在带有 MP3、M4A 或 WAV 附件的消息上使用“上传语音样本”。',
    }),
    internal: (p: { reference: string }): ErrorText => ({
      title: '出错了',
      description: `机器人遇到了意外错误（参考编号 \`${p.reference}\`）。`,
      hint: '请重试；如果问题持续出现，请告知机器人的管理员，并提供上面的参考编号。',
    }),
  },
};
