import { k8s } from 'cdk8s-plus-28';
import { targetQuantity, toQuantity } from './quantity';
import { UTILIZATION_PERCENT } from './utilization-check';
import { checkValue } from '../validate/check';
import { quantity } from '../workload/kube-object';

/**
 * How a metric's value is compared with its target.
 */
export enum MetricTargetType {
  /** Average utilization in percent of the pods' requests (Resource and ContainerResource metrics only). */
  UTILIZATION = 'Utilization',
  /** Average value per pod: the total divided by the number of pods. */
  AVERAGE_VALUE = 'AverageValue',
  /** The metric's value as a whole (Object and External metrics only). */
  VALUE = 'Value',
}

/**
 * The target an autoscaler drives a metric towards.
 */
export class MetricTarget {
  /**
   * Average utilization, in percent of the pods' requests (e.g. 70).
   *
   * @param percent a whole number of at least 1 (above 100 is allowed), at most 2147483647
   */
  public static averageUtilization(percent: number): MetricTarget {
    checkValue('MetricTarget.averageUtilization', 'percent', percent, UTILIZATION_PERCENT);
    return new MetricTarget(MetricTargetType.UTILIZATION, percent);
  }

  /**
   * Average value per pod, in the metric's natural units (e.g. 10 queued requests per pod).
   * Fractions are rendered in milli-units (0.5 -> "500m").
   *
   * @param value greater than 0, at most 10^15, with at most 3 decimals (Kubernetes quantities keep
   * milli-units: 0.0015 is rejected rather than rounded to "2m")
   */
  public static averageValue(value: number): MetricTarget {
    checkValue('MetricTarget.averageValue', 'value', value, targetQuantity());
    return new MetricTarget(MetricTargetType.AVERAGE_VALUE, value);
  }

  /**
   * The metric's whole value (Object and External metrics).
   *
   * @param value greater than 0, at most 10^15, with at most 3 decimals (as for `averageValue`)
   */
  public static value(value: number): MetricTarget {
    checkValue('MetricTarget.value', 'value', value, targetQuantity());
    return new MetricTarget(MetricTargetType.VALUE, value);
  }

  private constructor(
    /** Target type. */
    public readonly type: MetricTargetType,
    /** Target number: percent for utilization, natural units otherwise. */
    public readonly amount: number) {
  }

  /** @internal */
  public _toKube(): k8s.MetricTargetV2 {
    switch (this.type) {
      case MetricTargetType.UTILIZATION: return { type: this.type, averageUtilization: this.amount };
      case MetricTargetType.AVERAGE_VALUE: return { type: this.type, averageValue: quantity(toQuantity(this.amount)) };
      default: return { type: this.type, value: quantity(toQuantity(this.amount)) };
    }
  }
}
