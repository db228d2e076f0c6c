// TorchSharp's default generator is process-wide: a test that seeds it (torch.random.manual_seed) and then creates or
// trains a network must not share the process with another test drawing from it at the same time, or its weights and
// dropout masks change (seen as a ResumeTests failure under load). The tests of this assembly therefore run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
