"""The first walk through the workflow, as a user types it."""


def test_a_new_recommendation_walks_from_proposed_to_implemented(cli, people):
    assert cli("recommendation", "add", "--number", 1, "--title", "Familienzentrum",
               "--district", "osterfeld", "--department", "3-1", "--on", "2024-01-10",
               user="planer").exit_code == 0
    result = cli("recommendation", "approve", 1, "--on", "2024-01-11", user="bl31")
    assert result.exit_code == 1
    assert "Empfehlung 1 ist 'vorgeschlagen'" in result.stderr
