import type { DmxapiErrorTexts } from '../en-US/dmxapi.ts';
import type { ErrorText } from '../error-text.ts';
import { formatBytes } from '../format.ts';
import { askOperator, checkFileOrTell, limitSeconds, mayBeStored, retryOrTell, retrySoon } from './common.ts';

interface Meaning {
  readonly meaning: string;
  readonly hint: string;
}

/**
 * MiniMax's `base_resp.status_code`, from docs/dmxapi.md: the same codes as the English
 * table in en-US/dmxapi.ts (test/i18n.test.ts checks that both know exactly the same codes).
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
 * The gateway's HTTP statuses, from docs/dmxapi.md: the same statuses as the English
 * table in en-US/dmxapi.ts (test/i18n.test.ts checks that both know exactly the same statuses).
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

export const dmxapiErrorTexts: DmxapiErrorTexts = {
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
  dmxapiAudioTooLarge: (p: { maxBytes: number }): ErrorText => ({
    title: '语音太大，无法发送',
    description: `MiniMax 返回的音频超过 ${formatBytes(p.maxBytes)}，超出一个 Discord 附件的上限，因此未保留。这些字符很可能已经计费。`,
    hint: '请把文本分成几段来说，或调快语速。',
  }),
};
