import type { ConvertErrorTexts, ConvertTexts } from '../en-US/convert.ts';
import type { ErrorText } from '../error-text.ts';
import { formatMeasuredSecondsIn, ZH_DURATION_UNITS } from '../format.ts';
import { bytes, limitSeconds } from './common.ts';

const ACCEPTED_FORMATS =
  'MP3、M4A、WAV、Ogg（Opus 或 Vorbis，包括 Discord 语音消息）、FLAC 和 WebM；安装了 ffmpeg 时还支持 MP4/MOV 视频、AAC、AIFF 等';

const kHz = (rate: number): string => `${rate / 1000} kHz`;
const seconds = (value: number): string => formatMeasuredSecondsIn(value, undefined, ZH_DURATION_UNITS);

export const convertTexts: ConvertTexts = {
  acceptedFormats: ACCEPTED_FORMATS,
  converting: (from: string) => `正在将 ${from} 转换为 WAV……`,
  convertedLabel: '已转换',
  convertedValue: (c: { from: string; voiceMessage: boolean; sampleRate: number; bytes: number }) =>
    `${c.from}${c.voiceMessage ? ' 语音消息' : ''} → WAV ${kHz(c.sampleRate)} 单声道（${bytes(c.bytes)}）`,
  voiceMessage: '语音消息',
};

const exportAgain = '请确认文件能正常播放，重新导出（MP3、WAV 或 FLAC）后发送新文件。';

export const convertErrorTexts: ConvertErrorTexts = {
  convertUnavailable: (p: { fileName: string; format: string }): ErrorText => ({
    title: '此格式需要 ffmpeg',
    description: `**${p.fileName}** 是 ${p.format} 格式。转换它需要 ffmpeg，而运行本机器人的环境没有安装。`,
    hint: '请联系机器人的管理员安装 ffmpeg（Debian/Ubuntu：`apt-get install ffmpeg`；Docker 镜像已自带）或设置 `FFMPEG_PATH`。在此之前，请以 MP3、M4A、WAV、Ogg、FLAC 或 WebM 格式发送。',
  }),
  noAudioTrack: (p: { fileName: string; format: string }): ErrorText => ({
    title: '文件中没有声音',
    description: `**${p.fileName}**（${p.format}）没有音轨。`,
    hint: '请发送有声音的录音（视频需要带有音轨）。',
  }),
  noAudioDecoded: (p: { fileName: string; format: string }): ErrorText => ({
    title: '无法解码出音频',
    description: `**${p.fileName}** 看起来是 ${p.format}，但解码后没有得到任何音频。`,
    hint: exportAgain,
  }),
  silent: (p: { fileName: string; format: string; peakDbfs: number; thresholdDbfs: number }): ErrorText => ({
    title: '只有静音',
    description: `**${p.fileName}**（${p.format}）是静音：最响的采样为 ${Number.isFinite(p.peakDbfs) ? `${p.peakDbfs.toFixed(1)} dBFS` : '零'}，低于 ${p.thresholdDbfs} dBFS 即视为静音，无法用来克隆声音。`,
    hint: '请确认麦克风已打开，然后重新录制。',
  }),
  decodedLengthMismatch: (p: {
    fileName: string;
    format: string;
    statedSeconds: number;
    decodedSeconds: number;
    atLeast: boolean;
  }): ErrorText =>
    p.decodedSeconds < p.statedSeconds
      ? {
          title: '文件不完整或已损坏',
          description: `**${p.fileName}**（${p.format}）声明时长为 ${seconds(p.statedSeconds)}，但只能解码出 ${seconds(p.decodedSeconds)} 的音频。`,
          hint: '请重新完整地导出或下载录音，然后发送。',
        }
      : {
          title: '文件内容比声明的更长',
          description: `**${p.fileName}**（${p.format}）声明时长为 ${seconds(p.statedSeconds)}，实际包含${p.atLeast ? '超过 ' : ' '}${seconds(p.decodedSeconds)} 的音频（例如在第一段录音后隐藏了另一段）。`,
          hint: '请将录音重新导出为一个普通文件后发送。',
        },
  tooLong: (p: {
    fileName: string;
    format: string;
    seconds: number;
    atLeast: boolean;
    maxSeconds: number;
  }): ErrorText => ({
    title: '音频过长',
    description: `**${p.fileName}**（${p.format}）时长${p.atLeast ? '超过 ' : '为 '}${seconds(p.seconds)}，此用途最长 ${limitSeconds(p.maxSeconds)}。`,
    hint: '请剪辑到符合要求后重新上传。',
  }),
  convertedTooLarge: (p: {
    fileName: string;
    seconds: number;
    lowestRate: number;
    bytes: number;
    maxBytes: number;
  }): ErrorText => ({
    title: '过长，无法发送',
    description: `即使转换为 ${kHz(p.lowestRate)} 单声道 16 位 WAV，**${p.fileName}**（${seconds(p.seconds)}）也有 ${bytes(p.bytes)}，超过了 ${bytes(p.maxBytes)} 的上限。`,
    hint: '请剪短后重新上传。',
  }),
  conversionFailed: (p: {
    fileName: string;
    format: string;
    reason: 'unreadable' | 'timeout' | 'memory';
    timeoutMs: number | undefined;
  }): ErrorText => ({
    title: '无法转换文件',
    description:
      p.reason === 'timeout' && p.timeoutMs !== undefined
        ? `转换 **${p.fileName}**（${p.format}）的时间超过了 ${limitSeconds(p.timeoutMs / 1000)} 的上限。`
        : p.reason === 'memory'
          ? `转换 **${p.fileName}**（${p.format}）所需的内存超过了机器人允许单个文件使用的上限。`
          : `ffmpeg 无法将 **${p.fileName}** 读取为 ${p.format}：文件已损坏或并非其看起来的格式。`,
    hint: exportAgain,
  }),
};
