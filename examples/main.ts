import { App } from 'cdk8s';
import { HybridHpaChart, HybridKedaChart } from './hybrid';
import { ArticleInferenceChart } from './inference';
import { SglangWorkerPoolChart, TritonResnetChart, VllmInferenceChart } from './model-servers';
import { ArticleBatchProcessorChart, ArticleTrainingWorkerChart, TrainingJobsChart } from './queue-workers';
import { BufferedScaleToZeroChart } from './request-buffering';
import { ScaleToZeroInferenceChart } from './scale-to-zero';

const app = new App();
new ArticleInferenceChart(app, 'ml-inference');
new ArticleBatchProcessorChart(app, 'ml-batch-processor');
new ArticleTrainingWorkerChart(app, 'ml-training-worker');
new TrainingJobsChart(app, 'ml-training-jobs');
// The hybrid service, step 1 (HPA) and step 2 (KEDA adopting that HPA): alternatives, applied in turn.
new HybridHpaChart(app, 'hybrid-ml-hpa-mode');
new HybridKedaChart(app, 'hybrid-ml-keda-mode');
// A GPU service scaled to zero by the HPA itself, for a Kubernetes 1.37 cluster (the chart sets its target).
new ScaleToZeroInferenceChart(app, 'ml-inference-scale-to-zero');
// Scaled on what the model server knows: vLLM on its queue (HPA), an SGLang pool on its queue (KEDA),
// the article's ResNet on Triton on DCGM GPU utilization (HPA).
new VllmInferenceChart(app, 'llm-vllm');
new SglangWorkerPoolChart(app, 'llm-sglang');
new TritonResnetChart(app, 'ml-resnet-triton');
// A chat model scaled to zero behind the KEDA HTTP add-on, which holds requests while it loads.
new BufferedScaleToZeroChart(app, 'llm-chat-buffered');
app.synth();
