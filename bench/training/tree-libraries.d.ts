// The parts of two untyped npm packages that trees-parity.bench.ts calls, as their sources define them.

declare module 'ydf-training' {
  interface YdfModel {
    /** Classification: one probability per class (getLabelClasses order) per row, or one per row when binary. */
    predict(examples: Record<string, number[]>): number[];
    getLabelClasses(): string[];
    describe(): string;
    /** A zip of YDF's own model folder (header.pb, data_spec.pb, nodes-*). */
    save(): Promise<Blob>;
    unload(): void;
  }
  interface YdfLearner {
    /** Numeric arrays become numerical columns, string arrays categorical ones (so a classification label is strings). */
    train(data: Record<string, number[] | string[]>): YdfModel;
  }
  type YdfLearnerClass = new (label: string, task: 'CLASSIFICATION' | 'REGRESSION') => YdfLearner;
  interface Ydf {
    RandomForestLearner: YdfLearnerClass;
    GradientBoostedTreesLearner: YdfLearnerClass;
    CartLearner: YdfLearnerClass;
  }
  /** Emscripten's module factory: resolves once the wasm is compiled. */
  function YDFTraining(options?: { print?: (text: string) => void; printErr?: (text: string) => void }): Promise<Ydf>;
  export = YDFTraining;
}

declare module 'ml-xgboost' {
  interface Booster {
    train(features: number[][], labels: number[]): void;
    /** One number per row, or one array of class probabilities per row for multi:softprob. */
    predict(features: number[][]): (number | number[])[];
    free(): void;
  }
  type BoosterClass = new (options: Record<string, string | number>) => Booster;
  const ready: Promise<BoosterClass>;
  export = ready;
}
