// Times ONNX Runtime (npm onnxruntime-node, its prebuilt CPU binary) on a model exported by
// export_onnx.py: 32-token sequences of seeded ids, batch sizes and intra-op threads as
// given. Prints median wall ms and CPU ms per run, in the format of the engine's
// comparison (docs/inference.md). Not part of CI.
//
//   NODE_PATH=/tmp/ort/node_modules node src/inference/reference/ort_bench.mjs MODEL.onnx
import { createRequire } from "module";
const require = createRequire(import.meta.url);
const ort = require("onnxruntime-node");

const model = process.argv[2];
const batches = (process.argv[3] || "1,10,100").split(",").map(Number);
const threadsList = (process.argv[4] || "1,2").split(",").map(Number);
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

for (const threads of threadsList) {
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all",
  });
  for (const b of batches) {
    const ids = new BigInt64Array(b * 32);
    for (let i = 0; i < ids.length; i++) ids[i] = BigInt(1000 + Math.floor(rand() * 28000));
    const feeds = { input_ids: new ort.Tensor("int64", ids, [b, 32]) };
    for (let i = 0; i < 3; i++) await session.run(feeds);
    const iters = Math.max(5, Math.ceil(200 / b));
    const wall = [];
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < iters; i++) {
      const t0 = process.hrtime.bigint();
      await session.run(feeds);
      wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const cpu = process.cpuUsage(cpu0);
    wall.sort((x, y) => x - y);
    console.log(JSON.stringify({ runtime: "onnxruntime-node", threads, batch: b,
      p50_ms: +wall[Math.floor(wall.length / 2)].toFixed(3),
      cpu_ms_per_run: +((cpu.user + cpu.system) / 1000 / iters).toFixed(3) }));
  }
}
