import type { DmxapiOperation } from '../../dmxapi/errors.ts';
import type { DmxapiErrorTexts } from '../en-US/dmxapi.ts';
import type { ErrorText } from '../error-text.ts';
import { formatBytes } from '../format.ts';
import { askOperator, checkFileOrTell, limitSeconds, retryOrTell, retrySoon } from './common.ts';

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
  1042: { meaning: 'MiniMax 发现文本中不可见字符太多', hint: '请以纯文本形式重新输入。' },
  1043: { meaning: 'MiniMax 检查语音与文字是否一致时未通过', hint: '请使用只有一位说话人的清晰录音。' },
  1044: { meaning: '示例音频所说的内容与 `prompt_text` 不一致', hint: '请逐字填写示例音频中说的话。' },
  2039: { meaning: 'MiniMax 中已经有使用这个 `voice_id` 的音色', hint: '请换一个 `voice_id`。' },
  2042: { meaning: '此账户无权使用该 `voice_id`', hint: '请检查 `voice_id`，或从列表中选择。' },
  2049: { meaning: 'MiniMax 提示 API 密钥无效', hint: askOperator('DMXAPI_API_KEY') },
  20132: {
    meaning: 'MiniMax 提示音频样本或 `voice_id` 无效',
    hint: '请从列表中选择音频样本并检查 `voice_id`。',
  },
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
  // 除 503 外的 5xx 的建议取决于操作（mayBeDone），见 dmxapiHttp。
  504: { meaning: 'DMXAPI 等待 MiniMax 响应超时', hint: retrySoon },
  524: { meaning: 'DMXAPI 等待 MiniMax 响应超时', hint: retrySoon },
};

/** 各操作在句中的叫法，以及发送后失败时可能已经发生的事。 */
const operations: Readonly<
  Record<
    DmxapiOperation,
    { readonly noun: string; readonly modelSetting: string; readonly mayBeDone: string }
  >
> = {
  upload: {
    noun: '上传',
    modelSetting: 'DMXAPI_MODEL',
    mayBeDone: '文件可能已经保存并计费，而 DMXAPI 无法查询：重新上传可能会重复付费。',
  },
  clone: {
    noun: '克隆',
    modelSetting: 'DMXAPI_CLONE_MODEL',
    mayBeDone:
      '音色可能已经创建成功：再次克隆前，请先用 `/say` 试用这个 `voice_id`，或换一个新的 `voice_id` 克隆。',
  },
  speech: {
    noun: '语音合成',
    modelSetting: 'DMXAPI_SPEECH_MODEL',
    mayBeDone: '这些字符可能已经计费。',
  },
};

const retryLater = '请过几分钟再试。';

export const dmxapiErrorTexts: DmxapiErrorTexts = {
  dmxapiHttp: (p: { status: number; operation?: DmxapiOperation }): ErrorText => {
    const op = operations[p.operation ?? 'upload'];
    let known = httpStatuses[p.status];
    if (p.status === 503) {
      known = {
        meaning: `机器人的密钥无权使用${op.noun}模型，或模型名称有误`,
        hint: askOperator(op.modelSetting),
      };
    } else if (known && p.status >= 500) {
      // 请求已发出后的应答：操作可能已经完成并计费。
      known = { meaning: known.meaning, hint: `${retryLater}${op.mayBeDone}` };
    }
    return {
      title: `DMXAPI 拒绝了${op.noun}`,
      description: `${known?.meaning ?? 'DMXAPI 返回了错误'}（HTTP ${p.status}）。`,
      hint: known?.hint ?? retryOrTell,
    };
  },
  dmxapiService: (p: { statusCode: number; operation?: DmxapiOperation }): ErrorText => {
    const known = serviceCodes[p.statusCode];
    return {
      title: `MiniMax 拒绝了${operations[p.operation ?? 'upload'].noun}`,
      description: `${known?.meaning ?? 'MiniMax 返回了错误'}（状态码 ${p.statusCode}）。`,
      hint: known?.hint ?? retryOrTell,
    };
  },
  dmxapiMalformed: (p: { status: number; operation?: DmxapiOperation }): ErrorText => {
    const operation = p.operation ?? 'upload';
    const lost = { upload: '无法读取 file_id', clone: '无法确定音色是否已创建', speech: '无法读取音频' }[
      operation
    ];
    return {
      title: '无法解析 DMXAPI 的响应',
      description: `DMXAPI 返回了 HTTP ${p.status}，但内容不是其文档所述的 JSON，因此${lost}。`,
      hint: `${operations[operation].mayBeDone}如果问题持续出现，可能是 DMXAPI 出现了故障。`,
    };
  },
  dmxapiTimeout: (p: { timeoutMs: number; operation?: DmxapiOperation }): ErrorText => {
    const op = operations[p.operation ?? 'upload'];
    return {
      title: 'DMXAPI 未及时响应',
      description: `DMXAPI 未能在 ${limitSeconds(p.timeoutMs / 1000)}内完成${op.noun}。`,
      hint: `${retryLater}${op.mayBeDone}`,
    };
  },
  dmxapiRefused: (p?: { operation?: DmxapiOperation }): ErrorText => ({
    title: '无法连接 DMXAPI',
    description: `DMXAPI 拒绝了连接，没有发送任何内容：${operations[p?.operation ?? 'upload'].noun}没有进行。`,
    hint: retryLater,
  }),
  dmxapiReset: (p?: { operation?: DmxapiOperation; written?: boolean }): ErrorText => {
    const operation = p?.operation ?? 'upload';
    if (p?.written === false) {
      return {
        title: '与 DMXAPI 的连接中断',
        description: `请求尚未完整发出时与 DMXAPI 的连接就被切断了，因此${operations[operation].noun}没有进行。`,
        hint: retryLater,
      };
    }
    const unknown = {
      upload: '无法确定文件是否已保存',
      clone: '无法确定音色是否已创建',
      speech: '无法确定字符是否已计费',
    }[operation];
    return {
      title: '与 DMXAPI 的连接中断',
      description: `${operations[operation].noun}过程中与 DMXAPI 的连接被切断，${unknown}。`,
      hint:
        operation === 'upload'
          ? `请重新上传，以获得可用的 file_id。${operations.upload.mayBeDone}`
          : operations[operation].mayBeDone,
    };
  },
  dmxapiDns: (): ErrorText => ({
    title: '无法连接 DMXAPI',
    description: '无法解析 DMXAPI 的主机名，因此没有发送任何内容。',
    hint: askOperator('DMXAPI_BASE_URL'),
  }),
  dmxapiNetwork: (p?: { operation?: DmxapiOperation }): ErrorText => ({
    title: '无法连接 DMXAPI',
    description: `网络错误导致与 DMXAPI 之间的${operations[p?.operation ?? 'upload'].noun}中断。`,
    hint: retryLater,
  }),
  dmxapiAudioTooLarge: (p: { maxBytes: number }): ErrorText => ({
    title: '语音太大，无法发送',
    description: `MiniMax 返回的音频超过 ${formatBytes(p.maxBytes)}，超出一个 Discord 附件的上限，因此未保留。这些字符很可能已经计费。`,
    hint: '请把文本分成几段来说，或调快语速。',
  }),
};
