import { App } from 'cdk8s';
import { ArticleInferenceChart } from './inference';

const app = new App();
new ArticleInferenceChart(app, 'ml-inference');
app.synth();
