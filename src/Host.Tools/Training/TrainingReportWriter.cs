using System.Globalization;
using System.Text;
using Edge.Runtime.IO;
using ScottPlot;

namespace Host.Tools.Training;

/// <summary>Writes the CSV log (epoch, lr, train loss, val loss, val mIoU, seconds) and the loss / mIoU curves (PNG).</summary>
public static class TrainingReportWriter
{
    public const string CsvName = "training.csv";
    public const string LossPlotName = "loss.png";
    public const string MiouPlotName = "miou.png";

    public static void Write(string directory, string title, IReadOnlyList<EpochRecord> history)
    {
        var csv = new StringBuilder("epoch,lr,train_loss,val_loss,val_miou,seconds,steps,complete\n");
        foreach (var r in history)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{r.Epoch},{r.LearningRate:G6},{r.TrainLoss:G6},{Format(r.ValLoss)},{Format(r.ValMiou)},{r.Seconds:F1},{r.Steps},{(r.Complete ? 1 : 0)}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        AtomicFile.Write(Path.Combine(directory, CsvName), s => s.Write(bytes));
        if (history.Count == 0)
        {
            return;
        }

        var epochs = history.Select(r => (double)r.Epoch).ToArray();
        var loss = new Plot();
        var train = loss.Add.Scatter(epochs, history.Select(r => r.TrainLoss).ToArray());
        train.LegendText = "train loss";
        if (history.Any(r => r.ValLoss is not null))
        {
            var val = loss.Add.Scatter(epochs, history.Select(r => r.ValLoss ?? double.NaN).ToArray());
            val.LegendText = "val loss";
        }

        loss.Title($"{title}: loss");
        loss.XLabel("epoch");
        loss.YLabel("loss");
        loss.ShowLegend(Alignment.UpperRight);
        loss.SavePng(Path.Combine(directory, LossPlotName), 800, 500);

        if (history.Any(r => r.ValMiou is not null))
        {
            var miou = new Plot();
            miou.Add.Scatter(epochs, history.Select(r => r.ValMiou ?? double.NaN).ToArray());
            miou.Title($"{title}: validation mIoU");
            miou.XLabel("epoch");
            miou.YLabel("mIoU");
            miou.SavePng(Path.Combine(directory, MiouPlotName), 800, 500);
        }
    }

    private static string Format(double? value) => value is { } v ? v.ToString("G6", CultureInfo.InvariantCulture) : string.Empty;
}
