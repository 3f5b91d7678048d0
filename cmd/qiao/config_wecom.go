package main

import (
	"fmt"
	"maps"
	"slices"

	"github.com/qiao-community/qiao/bot"
)

// checkWeCom checks the wecom: section and the groups and people on WeCom:
// wecom groups need the long connection enabled, wecom_webhook groups a robot
// key, and nobody can be written to privately through a robot.
func (c *Config) checkWeCom(errs *configErrors) {
	*errs = append(*errs, c.WeCom.Problems()...)
	if c.WeCom.AlertGroup != "" && !c.hasGroupKey(c.WeCom.AlertGroup) {
		errs.add("wecom.alert_group", "%q is not the key of a configured group", c.WeCom.AlertGroup)
	}
	hooks := map[string]bool{}
	for i, cm := range c.Communities {
		for j, g := range cm.Groups {
			p := fmt.Sprintf("communities[%d].groups[%d]", i, j)
			switch g.Platform {
			case bot.WeCom:
				if !c.WeCom.Enabled {
					errs.add(p+".platform", "wecom is used but wecom.enabled is false")
				}
			case bot.WeComWebhook:
				hooks[g.Chat] = true
				if c.WeCom.Webhooks[g.Chat] == "" {
					errs.add(p+".chat", "%q has no robot key under wecom.webhooks", g.Chat)
				}
			}
		}
		for j, person := range cm.People {
			p := fmt.Sprintf("communities[%d].people[%d]", i, j)
			switch person.Platform {
			case bot.WeCom:
				if !c.WeCom.Enabled {
					errs.add(p+".platform", "wecom is used but wecom.enabled is false")
				}
			case bot.WeComWebhook:
				errs.add(p+".platform", "a group robot only posts into its group; a person's platform is wecom")
			}
		}
	}
	for _, chat := range slices.Sorted(maps.Keys(c.WeCom.Webhooks)) {
		if !hooks[chat] {
			errs.add("wecom.webhooks."+chat, "no group on platform wecom_webhook has chat %q", chat)
		}
	}
}

// weComAlertGroup is the group told about WeCom trouble.
func (c *Config) weComAlertGroup() string {
	if c.WeCom.AlertGroup != "" {
		return c.WeCom.AlertGroup
	}
	return c.WeChat.AlertGroup
}
