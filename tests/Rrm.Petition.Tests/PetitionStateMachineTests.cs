using Rrm.Petition.Domain;
using Rrm.ServiceDefaults.Errors;
using Rrm.ServiceDefaults.Reference;

namespace Rrm.Petition.Tests;

/// <summary>Every (state, act) pair, checked against the expectations written out here (STYLE.md §5).</summary>
public sealed class PetitionStateMachineTests
{
    private static readonly Dictionary<(PetitionStatus, PetitionAct), PetitionStatus> Expected = new()
    {
        [(PetitionStatus.Received, PetitionAct.BeginReview)] = PetitionStatus.UnderReview,
        [(PetitionStatus.Received, PetitionAct.FindSufficient)] = PetitionStatus.Sufficient,
        [(PetitionStatus.Received, PetitionAct.FindInsufficient)] = PetitionStatus.Insufficient,
        [(PetitionStatus.Received, PetitionAct.Withdraw)] = PetitionStatus.Withdrawn,
        [(PetitionStatus.UnderReview, PetitionAct.FindSufficient)] = PetitionStatus.Sufficient,
        [(PetitionStatus.UnderReview, PetitionAct.FindInsufficient)] = PetitionStatus.Insufficient,
        [(PetitionStatus.UnderReview, PetitionAct.Withdraw)] = PetitionStatus.Withdrawn,
    };

    public static TheoryData<PetitionStatus, PetitionAct> AllPairs()
    {
        var data = new TheoryData<PetitionStatus, PetitionAct>();
        foreach (var s in Enum.GetValues<PetitionStatus>())
            foreach (var a in Enum.GetValues<PetitionAct>()) data.Add(s, a);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Each_pair_is_allowed_with_its_next_state_or_rejected_naming_the_state_and_the_allowed_acts(PetitionStatus from, PetitionAct act)
    {
        if (Expected.TryGetValue((from, act), out var next))
        {
            Assert.Equal(next, PetitionStateMachine.Next(from, act));
            Assert.Equal(act == PetitionAct.BeginReview, PetitionStateMachine.StartsReviewDeadline.Contains(act));
            Assert.Equal(act != PetitionAct.BeginReview, PetitionStateMachine.ClearsReviewDeadline.Contains(act));
        }
        else
        {
            var error = Assert.Throws<InvalidStateTransitionException>(() => PetitionStateMachine.Next(from, act));
            Assert.Contains(PetitionStateMachine.Describe(from), error.Message);
            Assert.Contains("allowed:", error.Message);
        }
    }

    [Fact]
    public void Every_state_and_act_appears_in_the_table()
    {
        var table = PetitionStateMachine.Transitions;
        Assert.All(Enum.GetValues<PetitionAct>(), a => Assert.Contains(table.Keys, k => k.Act == a));
        Assert.All(Enum.GetValues<PetitionStatus>(), s => Assert.True(table.Keys.Any(k => k.From == s) || table.Values.Contains(s)));
        Assert.Equal(Expected.Count, table.Count);
    }

    [Theory]
    [InlineData(PetitionStatus.Sufficient)]
    [InlineData(PetitionStatus.Insufficient)]
    [InlineData(PetitionStatus.Withdrawn)]
    public void Determined_and_withdrawn_petitions_are_closed(PetitionStatus status) =>
        Assert.True(PetitionStateMachine.IsTerminal(status));

    private static Domain.Petition Impro() => Domain.Petition.Receive(
        Facility.Register("Impro Industries Mexico, S. de R.L. de C.V.", "", "Carretera 57 km 1250", "Villa de Reyes",
            MexicanStates.All.Single(s => s.Code == "SLP"), Sector.Manufacturing, Subsector.Other, "", "", 0, [], DateTimeOffset.UtcNow),
        new Petitioner { Organization = "LSOM" }, [AllegationCategory.Retaliation], "narrative", [], [], PetitionLanguage.Spanish,
        new DateOnly(2024, 6, 24), DateTimeOffset.UtcNow);

    [Fact]
    public void A_received_petition_is_under_review_with_the_30_day_due_date()
    {
        var petition = Impro();
        Assert.Equal(PetitionStatus.UnderReview, petition.Status);
        Assert.Equal(new DateOnly(2024, 7, 24), petition.ReviewDueDate);
    }

    [Fact]
    public void Repeating_the_same_determination_is_a_no_op_and_a_different_one_is_rejected()
    {
        var petition = Impro();
        Assert.True(petition.Determine(true, new DateOnly(2024, 7, 24), "credible evidence"));
        Assert.False(petition.Determine(true, new DateOnly(2024, 7, 24), "credible evidence"));
        Assert.Throws<InvalidStateTransitionException>(() => petition.Determine(false, new DateOnly(2024, 7, 24), "changed my mind"));
        Assert.True(petition.DeterminationTimely);
    }

    [Fact]
    public void A_determination_after_the_due_date_is_recorded_as_late()
    {
        var petition = Impro();
        petition.Determine(false, new DateOnly(2024, 7, 25), "insufficient");
        Assert.False(petition.DeterminationTimely);
    }

    [Fact]
    public void A_withdrawn_petition_cannot_be_determined()
    {
        var petition = Impro();
        petition.Withdraw(new DateOnly(2024, 7, 1), "settled");
        var error = Assert.Throws<InvalidStateTransitionException>(() => petition.Determine(true, new DateOnly(2024, 7, 2), "x"));
        Assert.Contains("withdrawn", error.Message);
    }
}
