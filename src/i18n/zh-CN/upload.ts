import type { UploadTexts } from '../en-US/upload.ts';
import { bytes, number } from './common.ts';

export const uploadTexts: UploadTexts = {
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
    waitingForSameFile: '完全相同的音频正在上传中；正在等待它的 file_id，以免重复付费……',
  },

  success: {
    title: '声音样本已上传',
    description: (purposeName: string) => `请复制下方的 file_id，在克隆步骤中它代表这段${purposeName}。`,
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
    lateResult: (member: string) =>
      `${member}，你的上传在 Discord 允许回复命令的 15 分钟结束后才完成，因此结果发在这里。`,
  },

  messagePrompt: {
    title: '上传语音样本',
    description: (fileName: string, count: number) =>
      count > 1
        ? `上传 **${fileName}**？如需上传其他文件，请在下方 ${count} 个音频文件中选择，然后选择用途。`
        : `上传 **${fileName}**？请选择用途。`,
    suggestion: (p: { voiceMessage: boolean; duration: string; purposeName: string; rule: string }) =>
      `这条${p.voiceMessage ? '语音消息' : '录音'}时长 ${p.duration}，适合用作**${p.purposeName}**（${p.rule}）。`,
    fitsNeither: (p: {
      voiceMessage: boolean;
      duration: string;
      rules: readonly { name: string; rule: string }[];
    }) =>
      `这条${p.voiceMessage ? '语音消息' : '录音'}时长 ${p.duration}，不符合任何用途：${p.rules.map((r) => `${r.name}需要${r.rule}`).join('；')}。上传将被拒绝，请剪辑或重新录制。`,
    pick: '选择附件',
    purposeButton: (purposeName: string, rule: string) => `${purposeName}（${rule}）`,
    expired: '此提示已过期。请在该消息上再次使用“上传语音样本”。',
    restarted: '机器人已重启，此提示已关闭。请在该消息上再次使用“上传语音样本”。',
    postedReply: '完成：file_id 已作为对样本消息的回复发布。',
    postedHere: '完成：机器人无法回复该消息，因此 file_id 已发布在此频道中。',
    postedSampleGone: '完成：样本消息已被删除，因此 file_id 已发布在它所在的频道中。',
  },
};
