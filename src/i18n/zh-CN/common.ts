import type { DurationLimit } from '../../domain/limits.ts';
import type { Purpose } from '../../domain/purposes.ts';
import type { CommonTexts } from '../en-US/common.ts';
import {
  formatBytesIn,
  formatLimitSecondsIn,
  formatMeasuredSecondsIn,
  ZH_DURATION_UNITS,
} from '../format.ts';

/** Sizes, durations and numbers as a Chinese reader expects them: "512 字节", "7.4 秒", "10 秒至 5 分钟". */
export const bytes = (n: number): string => formatBytesIn(n, '字节');
export const limitSeconds = (seconds: number): string => formatLimitSecondsIn(seconds, ZH_DURATION_UNITS);
export const number = (n: number): string => n.toLocaleString('zh-CN');

const durationRule = (limit: DurationLimit): string => {
  const max = limitSeconds(limit.maxSeconds);
  if (limit.maxExclusive) {
    return limit.minSeconds > 0 ? `至少 ${limitSeconds(limit.minSeconds)}，且短于 ${max}` : `短于 ${max}`;
  }
  return limit.minSeconds > 0 ? `${limitSeconds(limit.minSeconds)}至 ${max}` : `不超过 ${max}`;
};

export const askOperator = (setting: string): string =>
  `这是机器人的配置问题，与你的文件无关：请联系机器人的管理员检查 \`${setting}\`。`;

/** Hints several zh-CN areas share. */
export const retrySoon = '请稍后再试。';
export const retryOrTell = '请稍后再试；如果问题持续出现，请告知机器人的管理员。';
export const checkFileOrTell = '请检查文件后再试；如果问题持续出现，请告知机器人的管理员。';

export const commonTexts: CommonTexts = {
  purposes: {
    voice_clone: '待克隆音频',
    prompt_audio: '示例音频',
  } satisfies Record<Purpose, string>,

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

  replyFailed: (reference: string) =>
    `生成回复时出错（参考编号 \`${reference}\`）。请重试；如果问题持续出现，请告知机器人的管理员，并提供参考编号。`,
};
